// The operator's console: verifying a new organisation, a wire recorded in two parts against a contract found by
// its payment reference, a dispute settled with a partial release (the split previewed, then confirmed) and the
// resulting payouts and refund confirmed; the parties see the result through the API. A non-operator is refused.
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { signInOperator, signUp, unique } from "./support/api";
import { awardedContract, disputedContract } from "./support/contracts";

const money = (text: string) => new RegExp(text.replace(/ /g, "\\s"));

test("a non-operator sent to the console is told it is not for them, and the API answers nothing", async ({
  browser,
  api,
}) => {
  const buyer = await signUp(api, { kind: "BUYER" });
  const page = await pageSignedIn(browser, buyer.token);
  await page.goto("/operator/payments");
  await expect(page.getByRole("heading", { level: 1, name: "Раздел только для операторов биржи" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Операторская" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Найти контракт по назначению платежа" })).toHaveCount(0);
  const answer = await api.as(buyer.token).gql(`{ exchangeOverview { users } paymentInstructions { edges { __typename } } }`);
  expect(answer).toEqual({ exchangeOverview: null, paymentInstructions: null });
  await screenshot(page, "operator-00-refused");
  await expectAccessible(page);
});

test("the operator verifies a new organisation from the queue", async ({ browser, api }) => {
  const operatorToken = await signInOperator(api);
  const name = `ООО «${unique("Новый завод ")}»`;
  const newcomer = await signUp(api, { kind: "MANUFACTURER", name, fullName: "Анна Петрова" });
  const certificateNumber = unique("РОСС RU.");
  const certified = await api.as(newcomer.token).gql(
    `mutation($input: CertificationInput!) { setCertification(input: $input) { __typename } }`,
    {
      input: {
        organisationId: newcomer.organisationId,
        standard: "ISO_9001",
        certificateNumber,
        issuedBy: "ООО «Регистр сертификации»",
        validUntil: new Date(Date.now() + 700 * 24 * 3600 * 1000).toISOString().slice(0, 10),
      },
    },
  );
  expect(certified.setCertification.__typename).toBe("CertificationSuccess");

  const page = await pageSignedIn(browser, operatorToken);
  await page.goto("/");
  await page.getByRole("link", { name: "Операторская" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Биржа сегодня" })).toBeVisible();
  await page.getByRole("navigation", { name: "Разделы операторской" }).getByRole("link", { name: "Проверка компаний" }).click();
  await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  await page.getByRole("link", { name: `Проверить: ${name}` }).click();
  const panel = page.getByRole("complementary");
  await expect(panel.getByRole("heading", { name })).toBeVisible();
  await expect(panel.getByText("Анна Петрова")).toBeVisible();
  await expect(panel.getByText(newcomer.email)).toBeVisible();
  await expect(panel.getByText("Не проверена")).toBeVisible();
  await screenshot(page, "operator-02-verification");
  await expectAccessible(page);

  await panel.getByRole("button", { name: "Подтвердить проверку" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${name}: проверка подтверждена.` })).toBeVisible();
  await expect(panel.getByText("Проверена", { exact: true })).toBeVisible();
  await expect(page.getByRole("list", { name: "Проверка компаний" }).getByRole("heading", { name })).toHaveCount(0);

  // Its certificate waits in the certificates' queue until the operator checks it against the register.
  const certificates = page.getByRole("region", { name: "Сертификаты на проверке" });
  const queued = certificates.getByRole("row").filter({ hasText: certificateNumber });
  // The queue is oldest first, so earlier journeys' certificates may fill its first pages: scroll on to this one.
  await expect(async () => {
    if ((await queued.count()) === 0) await certificates.getByRole("button", { name: "Показать ещё" }).last().click();
    await expect(queued).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 }); // each page is one request; under a loaded CI machine 30 s ran out once
  await panel.getByRole("button", { name: `Сертификат проверен: ISO 9001, ${name}` }).click();
  await expect(panel.getByText("проверен", { exact: true })).toBeVisible();
  await expect(certificates.getByRole("row").filter({ hasText: certificateNumber })).toHaveCount(0);
  await screenshot(page, "operator-02b-verified");
  const seen = await api
    .as(newcomer.token)
    .gql(`query($id: ID!) { organisation(id: $id) { verified certifications { verified } } }`, {
      id: newcomer.organisationId,
    });
  expect(seen.organisation).toEqual({ verified: true, certifications: [{ verified: true }] });
});

test("the operator records a wire in two parts against a contract found by its payment reference", async ({
  browser,
  api,
}) => {
  const operatorToken = await signInOperator(api);
  const contract = await awardedContract(api, unique("Корпус редуктора "));
  const page = await pageSignedIn(browser, operatorToken);
  await page.goto("/operator/payments");
  // As the bank's statement has it: lower case, spaces for dashes.
  await page.getByLabel("Назначение платежа").fill(contract.reference.toLowerCase().replace(/-/g, " "));
  await page.getByRole("button", { name: "Найти" }).click();
  const found = page.getByRole("article").filter({ has: page.getByRole("heading", { name: `Контракт: ${contract.title}` }) });
  await expect(found.getByTestId("contract-status")).toHaveText("Ожидает оплаты");
  await expect(found.getByTestId("remaining")).toHaveText(money("150 000 ₽"));
  await expect(found.getByText("Поступлений ещё не было.")).toBeVisible();
  // A bank's operation number is recorded once per server: unique, so that the journey can run again (--repeat-each).
  const [firstWire, secondWire] = [unique("SBER-"), unique("SBER-")];

  // More than is due is refused at the field, and nothing is recorded.
  await found.getByLabel("Номер операции в банке").fill(firstWire);
  await found.getByLabel("Сумма, ₽").fill("200 000");
  await found.getByRole("button", { name: "Записать поступление" }).click();
  await expect(found.locator(".field-error")).toContainText("Сумма, ₽");
  await expect(found.getByTestId("remaining")).toHaveText(money("150 000 ₽"));

  await found.getByLabel("Сумма, ₽").fill("60 000");
  await found.getByRole("button", { name: "Записать поступление" }).click();
  await expect(found.getByTestId("received")).toHaveText(money("60 000 ₽"));
  await expect(found.getByTestId("remaining")).toHaveText(money("90 000 ₽"));
  await expect(found.getByRole("cell", { name: firstWire })).toBeVisible();
  await screenshot(page, "operator-03-payments-part-paid");
  await expectAccessible(page);

  await found.getByLabel("Номер операции в банке").fill(secondWire);
  await found.getByLabel("Сумма, ₽").fill("90000,00");
  await found.getByRole("button", { name: "Записать поступление" }).click();
  await expect(found.getByTestId("contract-status")).toHaveText("Оплачен");
  await expect(found.getByTestId("remaining")).toHaveText(money("0 ₽"));
  await expect(found.getByTestId("received")).toHaveText(money("150 000 ₽"));
  await expect(found.getByText("Контракт полностью оплачен.")).toBeVisible();
  await expect(found.getByRole("button", { name: "Записать поступление" })).toHaveCount(0);
  await screenshot(page, "operator-04-payments-funded");
  const seen = await api
    .as(contract.buyer.token)
    .gql(`query($id: ID!) { contract(id: $id) { status escrowBalance { amount } } }`, { id: contract.contractId });
  expect(seen.contract).toEqual({ status: "FUNDED", escrowBalance: { amount: "150000.00" } });
});

test("the operator settles a dispute with a partial release, previewing the split, and executes the transfers", async ({
  browser,
  api,
}) => {
  test.setTimeout(120_000);
  const operatorToken = await signInOperator(api);
  const contract = await disputedContract(api, operatorToken, unique("Вал приводной "));
  const page = await pageSignedIn(browser, operatorToken);
  await page.goto("/operator/disputes");
  await expect(page.getByRole("heading", { level: 1, name: "Споры" })).toBeVisible();
  // Each card names the contract by its order and its parties, buyer → manufacturer (ContractLabel).
  const card = page.getByRole("article").filter({ has: page.getByRole("link", { name: contract.title }) });
  await expect(card).toContainText(/ООО «Заказчик .+» → .+ · Спор открыт/);
  await screenshot(page, "operator-05-disputes");
  await expectAccessible(page);
  await page.getByRole("link", { name: contract.title }).click();

  await expect(page.getByRole("heading", { level: 1, name: contract.title })).toBeVisible();
  // The contract's story is the contract room's timeline, its log open: who did what, when, and what they said.
  const story = page.locator(".contract-timeline");
  await expect(story.locator("ol.lifecycle [aria-current=step]")).toContainText("Спор");
  const log = story.locator(".contract-history");
  await expect(log).toHaveAttribute("open", "");
  await expect(log.locator("li").first()).toContainText(/Открыт спор .* · Заказчик, .+ \(ООО «Заказчик .+»\)/);
  await expect(log.getByText("Причина: 20 % деталей вне допуска")).toBeVisible();
  await expect(log.getByText("Трек-номер: СДЭК 1029384756")).toBeVisible();
  await screenshot(page, "operator-05b-dispute-story");
  await expect(page.getByText(/100 не проходят по допуску/)).toBeVisible();
  await expect(page.getByText(/готовы вернуть деньги за брак/)).toBeVisible();
  await expect(page.getByTestId("escrow")).toHaveText(money("150 000 ₽"));

  // Out of range: the preview refuses it as resolveDispute would, at the field.
  await page.getByLabel("Производителю, ₽").fill("150000,01");
  await page.getByRole("button", { name: "Рассчитать распределение" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Исправьте ошибки" })).toBeVisible();
  await expect(page.locator(".field-error")).toContainText("Производителю, ₽");

  await page.getByLabel("Производителю, ₽").fill("120 000");
  await page.getByLabel(/Обоснование решения/).fill("100 деталей из 500 вне допуска: их стоимость возвращается заказчику.");
  await page.getByRole("button", { name: "Рассчитать распределение" }).click();
  await expect(page.getByTestId("split-gross")).toHaveText(money("120 000 ₽"));
  await expect(page.getByTestId("split-fee")).toHaveText(money("6 000 ₽"));
  await expect(page.getByTestId("split-net")).toHaveText(money("114 000 ₽"));
  await expect(page.getByTestId("split-refund")).toHaveText(money("30 000 ₽"));
  await screenshot(page, "operator-06-dispute-preview");
  await expectAccessible(page);
  // Nothing moved yet.
  const before = await api
    .as(contract.buyer.token)
    .gql(`query($id: ID!) { contract(id: $id) { status } }`, { id: contract.contractId });
  expect(before.contract.status).toBe("DISPUTED");

  await page.getByRole("button", { name: "Подтвердить решение" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Спор разрешён." })).toBeVisible();
  await expect(page.locator(".badge").first()).toHaveText("Завершён");
  await expect(page.getByTestId("escrow")).toHaveText(money("0 ₽"));
  await screenshot(page, "operator-07-dispute-resolved");

  // The transfers it created, executed at the bank and confirmed here.
  await page.getByRole("link", { name: "Платежи" }).first().click();
  const pending = page.getByRole("list", { name: "Выплаты и возвраты к исполнению" });
  const ours = pending.getByRole("listitem").filter({ hasText: contract.title });
  await expect(ours).toHaveCount(3);
  await expect(ours.filter({ hasText: "Возврат заказчику" })).toContainText(money("30 000 ₽"));
  await expect(ours.filter({ hasText: contract.buyer.organisationName }).filter({ hasText: "Возврат" })).toHaveCount(1);
  await screenshot(page, "operator-08-instructions");
  await expectAccessible(page);
  // Confirmed with the bank's payment order number: without one the API refuses it at the field, nothing changes.
  await ours.first().getByRole("button", { name: /Подтвердить исполнение/ }).click();
  await expect(ours.first().locator(".field-error")).toContainText("Номер платёжного поручения");
  await expect(ours).toHaveCount(3);
  await screenshot(page, "operator-08b-instruction-needs-bank-reference");
  const references = [unique("ПП "), unique("ПП "), unique("ПП ")];
  for (let left = 3; left > 0; left -= 1) {
    await ours.first().getByLabel("Номер платёжного поручения").fill(references[3 - left]!);
    await ours.first().getByRole("button", { name: /Подтвердить исполнение/ }).click();
    await expect(ours).toHaveCount(left - 1);
  }
  const done = page.getByRole("list", { name: "Исполненные" }).getByRole("listitem").filter({ hasText: contract.title });
  await expect(done).toHaveCount(3);
  for (const reference of references) await expect(done.getByTestId("bank-reference").filter({ hasText: reference })).toHaveCount(1);
  await done.filter({ hasText: "Возврат заказчику" }).scrollIntoViewIfNeeded();
  await screenshot(page, "operator-08c-instructions-executed");

  // Both parties see the settlement: completed, escrow empty, 114,000 paid out and 30,000 refunded, all executed.
  for (const party of [contract.buyer, contract.maker]) {
    const seen = await api.as(party.token).gql(
      `query($id: ID!) { contract(id: $id) {
        status escrowBalance { amount } milestones { status } paymentInstructions { kind amount { amount } status }
      } }`,
      { id: contract.contractId },
    );
    expect(seen.contract.status).toBe("COMPLETED");
    expect(seen.contract.escrowBalance.amount).toBe("0.00");
    // The acceptance milestone was paid in part and refunded in part: it says so.
    expect(seen.contract.milestones.map((m: { status: string }) => m.status)).toEqual(["released", "partly_released"]);
    const total = (kind: string) =>
      seen.contract.paymentInstructions
        .filter((p: { kind: string }) => p.kind === kind)
        .reduce((sum: number, p: { amount: { amount: string } }) => sum + Number(p.amount.amount), 0);
    expect([total("payout"), total("refund")]).toEqual([114000, 30000]);
    expect(seen.contract.paymentInstructions.every((p: { status: string }) => p.status === "confirmed")).toBe(true);
  }
  // The buyer's statement names the refund's transfer by the bank's number.
  const buyerPage = await pageSignedIn(browser, contract.buyer.token);
  await buyerPage.goto(`/contracts/${encodeURIComponent(contract.contractId)}`);
  const statement = buyerPage.getByRole("table", { name: "Выписка по эскроу-счёту" });
  const refundRow = statement.getByRole("row").filter({ hasText: "Возврат заказчику" });
  await expect(refundRow).toContainText(/банковским переводом № ПП .+ — переведено/);
  await refundRow.scrollIntoViewIfNeeded();
  await screenshot(buyerPage, "operator-09-buyer-statement-refund-reference");
});

test("the exchange at a glance, in English", async ({ browser, api }) => {
  const operatorToken = await signInOperator(api);
  // A new manufacturer goes to search through the outbox: the panel has at least that feed, whatever ran before.
  await signUp(api, { kind: "MANUFACTURER" });
  const page = await pageSignedIn(browser, operatorToken, "en");
  await page.goto("/operator");
  await expect(page.getByRole("heading", { level: 1, name: "The exchange today" })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Orders by status: Draft \d+, Open for bids \d+/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Contracts by stage: / })).toBeVisible();
  await expect(page.getByText("Platform fees")).toBeVisible();
  await screenshot(page, "operator-01-overview-en");
  await expectAccessible(page);
  await page.getByLabel("Language").selectOption("ru");
  await expect(page.getByRole("heading", { level: 1, name: "Биржа сегодня" })).toBeVisible();
  // The outbox in the operator's words: where each feed goes, what waits, and that retries need nobody.
  const backlog = page.getByRole("table", { name: "Фоновая доставка: поиск, письма, документы" });
  await expect(backlog.getByRole("columnheader")).toHaveText([
    "Куда доставляется",
    "Ждут доставки",
    "Из них с ошибками",
    "Самая давняя в очереди",
    "Последняя успешная доставка",
  ]);
  await expect(backlog.getByRole("rowheader", { name: "Поиск производителей" })).toBeVisible();
  await expect(page.getByText(/повторяется сама/)).toBeVisible();
  await screenshot(page, "operator-01-overview-ru");
  // On a phone the tables scroll inside their box; the page itself does not scroll sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(page, "operator-01-overview-ru-narrow");
});

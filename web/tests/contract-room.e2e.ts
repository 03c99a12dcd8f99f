// Issue 17, the contract room: a contract funded by a bank transfer the operator records, then carried through
// production, a rejected and a resubmitted first article (once approved, not offered again), shipping, delivery
// and acceptance, each step clicked by its party while the other two contexts (buyer, manufacturer, operator) see it
// live; messages both ways; a refused step; the review after completion; and a dispute opened by the buyer.
import type { Page } from "@playwright/test";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { unique } from "./support/api";
import { awardedContract, recordTransfer, step } from "./support/contractRoom";

const statusOf = (page: Page) => page.getByTestId("contract-status");

async function expectStatusEverywhere(pages: Page[], status: string): Promise<void> {
  for (const page of pages) await expect(statusOf(page)).toHaveText(status);
}

test("buyer, manufacturer and operator carry a contract from funding to acceptance, each seeing the others live", async ({
  browser,
  api,
}) => {
  test.setTimeout(240_000);
  const title = unique("Корпус редуктора ");
  const contract = await awardedContract(api, title);
  const room = `/contracts/${contract.id}`;

  // The buyer finds the contract in its list, filters by status, opens the room.
  const buyerPage = await pageSignedIn(browser, contract.buyer.token);
  await buyerPage.goto("/");
  await buyerPage.getByRole("navigation", { name: "Основное меню" }).getByRole("link", { name: "Контракты" }).click();
  await expect(buyerPage.getByRole("heading", { level: 1, name: "Контракты" })).toBeVisible();
  const row = buyerPage.getByRole("list", { name: "Мои контракты" }).getByRole("listitem").filter({ hasText: title });
  await expect(row).toContainText(`Производитель: ${contract.maker.organisationName}`);
  await expect(row).toContainText("Ожидает оплаты");
  await expect(row).toContainText(/300\s000\s₽/);
  await expect(row).toContainText("Контракт будет отменён без оплаты через 14 дней");
  await buyerPage.getByRole("navigation", { name: "Статус контракта" }).getByRole("link", { name: "Оплачен" }).click();
  await expect(buyerPage).toHaveURL(/status=FUNDED/);
  await expect(buyerPage.getByText("Контрактов в этом статусе нет.")).toBeVisible();
  await buyerPage.getByRole("navigation", { name: "Статус контракта" }).getByRole("link", { name: "Ожидает оплаты" }).click();
  await expect(buyerPage).toHaveURL(/status=PENDING_FUNDING/);
  await screenshot(buyerPage, "contracts-01-list");
  await expectAccessible(buyerPage);
  await buyerPage.getByRole("link", { name: title }).click();
  await expect(buyerPage).toHaveURL(new RegExp(`/contracts/${encodeURIComponent(contract.id)}$`));

  // The room before funding: the buyer sees the payment details with copy buttons, and only its own steps.
  await expect(buyerPage.getByRole("heading", { level: 1, name: `Контракт по заказу «${title}»` })).toBeVisible();
  await expect(statusOf(buyerPage)).toHaveText("Ожидает оплаты");
  const funding = buyerPage.getByRole("region", { name: "Реквизиты для оплаты" });
  await expect(funding).toContainText(contract.paymentReference);
  // The test server has no escrow account configured: the demo one is shown, and said to be one, in Russian.
  await expect(funding.getByTestId("funding-demo")).toContainText("Демонстрационные реквизиты.");
  await expect(funding).toContainText("ДЕМО-РЕКВИЗИТЫ, НЕ ДЛЯ ОПЛАТЫ: АО «Демо-Банк», БИК 044525999");
  await expect(funding).not.toContainText("Account 4070");
  await expect(funding.getByRole("button", { name: /^Копировать.*Назначение платежа/ })).toBeVisible();
  await funding.getByRole("button", { name: /^Копировать.*Назначение платежа/ }).click();
  await expect(funding.getByRole("status")).toHaveText("Скопировано: Назначение платежа (обязательно укажите)");
  const buyerActions = buyerPage.getByRole("region", { name: "Ваши действия" });
  await expect(buyerActions.getByRole("button")).toHaveText(["Расторгнуть контракт"]);
  await expect(buyerActions).toContainText("Переведите сумму по реквизитам ниже");
  await expect(buyerPage.getByText(/Контракт будет отменён без оплаты через 14 дней/).first()).toBeVisible();
  await screenshot(buyerPage, "contracts-02-room-pending-funding");
  await expectAccessible(buyerPage);

  const makerPage = await pageSignedIn(browser, contract.maker.token);
  await makerPage.goto(room);
  await expect(statusOf(makerPage)).toHaveText("Ожидает оплаты");
  await expect(makerPage.getByRole("region", { name: "Реквизиты для оплаты" })).toHaveCount(0);
  const opsPage = await pageSignedIn(browser, contract.operatorToken);
  await opsPage.goto(room);
  await expect(statusOf(opsPage)).toHaveText("Ожидает оплаты");
  await expect(opsPage.getByText("Вы — оператор биржи")).toBeVisible();

  // The operator books the wire in the console, finding the contract by the reference as the bank wrote it; the
  // buyer's and manufacturer's rooms turn "funded" without reload, and the operator goes back to the room.
  await opsPage.goto("/operator/payments");
  await opsPage.getByLabel("Назначение платежа").fill(contract.paymentReference.toLowerCase().replace(/-/g, " "));
  await opsPage.getByRole("button", { name: "Найти" }).click();
  const wire = opsPage.getByRole("article").filter({ has: opsPage.getByTestId("remaining") });
  await expect(wire.getByTestId("contract-status")).toHaveText("Ожидает оплаты");
  await wire.getByLabel("Номер операции в банке").fill("SBER-ROOM-1");
  await wire.getByLabel("Сумма, ₽").fill("300 000");
  await wire.getByRole("button", { name: "Записать поступление" }).click();
  await expect(wire.getByTestId("contract-status")).toHaveText("Оплачен");
  await expectStatusEverywhere([buyerPage, makerPage], "Оплачен");
  await opsPage.goto(room);
  await expectStatusEverywhere([buyerPage, makerPage, opsPage], "Оплачен");
  await expect(buyerPage.getByTestId("escrow-balance")).toHaveText(/300\s000\s₽/);
  await expect(buyerPage.getByRole("table", { name: "Выписка по эскроу-счёту" })).toContainText(
    "Оплата заказчика · банковский перевод № SBER-ROOM-1",
  );

  // Production starts (the manufacturer's only step), and the first article goes to the buyer.
  const makerActions = makerPage.getByRole("region", { name: "Ваши действия" });
  await expect(makerActions.getByRole("button")).toHaveText(["Начать производство"]);
  await makerActions.getByRole("button", { name: "Начать производство" }).click();
  await expectStatusEverywhere([makerPage, buyerPage, opsPage], "В производстве");
  await expect(makerActions.getByRole("button")).toHaveText(["Предъявить первый образец", "Отгрузить"]);
  await makerActions.getByRole("button", { name: "Предъявить первый образец" }).click();
  await makerActions.getByLabel("Комментарий").fill("Протокол измерений первого образца приложен в переписке.");
  await screenshot(makerPage, "contracts-03-maker-submits-first-article");
  await makerActions.getByRole("button", { name: "Предъявить первый образец" }).click();
  await expectStatusEverywhere([buyerPage, makerPage, opsPage], "Проверка первого образца");

  // The buyer rejects it: without a reason the API refuses and nothing changes; with one it goes back.
  await expect(buyerActions.getByRole("button")).toHaveText(["Принять первый образец", "Вернуть первый образец"]);
  await buyerActions.getByRole("button", { name: "Вернуть первый образец" }).click();
  await buyerActions.getByRole("button", { name: "Вернуть первый образец" }).click();
  await expect(buyerActions.locator(".field-error .field-message")).toBeVisible();
  await expect(buyerActions.getByRole("alert")).toContainText("Исправьте ошибки");
  await screenshot(buyerPage, "contracts-04-reject-refused-without-reason");
  await expect(statusOf(buyerPage)).toHaveText("Проверка первого образца");
  await buyerActions.getByLabel("Причина").fill("Отверстие Ø12H7 вне допуска: 12,04 мм.");
  await buyerActions.getByRole("button", { name: "Вернуть первый образец" }).click();
  await expectStatusEverywhere([makerPage, buyerPage, opsPage], "В производстве");
  await makerPage.getByText("Журнал событий").click();
  await expect(makerPage.locator(".history")).toContainText("Первый образец возвращён");
  await expect(makerPage.locator(".history")).toContainText("Причина: Отверстие Ø12H7 вне допуска: 12,04 мм.");
  await expect(makerPage.locator(".history")).toContainText("Заказчик, Анна Петрова");
  // Returned, the review is ahead of the contract again.
  const lifecycle = buyerPage.locator("ol.lifecycle");
  const review = lifecycle.getByTestId("timeline-step").filter({ hasText: "Проверка первого образца" });
  await expect(review).toHaveClass(/timeline-upcoming/);
  await expect(review).toContainText("Впереди");

  // A second tab of the manufacturer's, opened now and deaf to live updates (its WebSocket goes nowhere): it will
  // still offer the first article after the buyer approves one.
  const staleMaker = await pageSignedIn(browser, contract.maker.token);
  await staleMaker.routeWebSocket(/.*/, () => {});
  await staleMaker.goto(room);
  const staleActions = staleMaker.getByRole("region", { name: "Ваши действия" });
  await expect(staleActions.getByRole("button")).toHaveText(["Предъявить первый образец", "Отгрузить"]);

  // Resubmitted and approved (an irreversible step: it asks to confirm); the first milestone is released.
  await makerActions.getByRole("button", { name: "Предъявить первый образец" }).click();
  await makerActions.getByRole("button", { name: "Предъявить первый образец" }).click();
  await expectStatusEverywhere([buyerPage, opsPage], "Проверка первого образца");
  await buyerActions.getByRole("button", { name: "Принять первый образец" }).click();
  await expect(buyerActions.getByText("Это действие нельзя отменить.")).toBeVisible();
  await buyerActions.getByRole("button", { name: "Подтвердить: Принять первый образец" }).click();
  await expectStatusEverywhere([buyerPage, makerPage, opsPage], "В производстве");
  // The lifecycle: the review is behind the contract (done, when the approved article was submitted and by whom),
  // production goes on; not «Проверка первого образца — Впереди», which it read before.
  await expect(review).toHaveClass(/timeline-done/);
  await expect(review).not.toContainText("Впереди");
  await expect(review.locator(".timeline-when")).toContainText("Производитель");
  await expect(lifecycle.locator('[aria-current="step"]')).toContainText("В производстве");
  await expect(lifecycle.getByTestId("timeline-step").filter({ hasText: "Отгружен" })).toContainText("Впереди");
  await lifecycle.scrollIntoViewIfNeeded();
  await buyerPage.screenshot({ path: "test-results/screens/contracts-04b-lifecycle-after-first-article-approved.png" });
  await expect(makerPage.getByTestId("escrow-balance")).toHaveText(/210\s000\s₽/);
  // Approved, the first article is not offered again (the API says so, live, in the room left open): the manufacturer
  // ships next. Its API refuses a second article, and nothing changes.
  await expect(makerActions.getByRole("button")).toHaveText(["Отгрузить"]);
  await expect(makerPage.getByRole("button", { name: "Предъявить первый образец" })).toHaveCount(0);
  const again = await step(api, contract.maker.token, contract.id, "submitFirstArticle");
  expect(again).toEqual({
    __typename: "InvalidStateError",
    code: "FIRST_ARTICLE_APPROVED",
    message: expect.stringContaining("approved already"),
  });
  // The stale tab tries it: refused, it reads the contract again and keeps the reason; shipping is what is left.
  await expect(staleActions.getByRole("button")).toHaveText(["Предъявить первый образец", "Отгрузить"]);
  await staleActions.getByRole("button", { name: "Предъявить первый образец" }).click();
  await staleActions.getByRole("button", { name: "Предъявить первый образец" }).click();
  await expect(staleActions.getByRole("alert")).toContainText("Пока страница была открыта, контракт изменился");
  await expect(staleActions.getByRole("alert")).toContainText("Первый образец уже принят заказчиком");
  await expect(staleActions.getByRole("button")).toHaveText(["Отгрузить"]);
  await expect(staleMaker.getByTestId("escrow-balance")).toHaveText(/210\s000\s₽/);
  await staleActions.scrollIntoViewIfNeeded();
  await staleMaker.screenshot({ path: "test-results/screens/contracts-04d-stale-tab-refused-reads-again.png" });
  await staleMaker.context().close();
  await makerPage.reload();
  await expect(statusOf(makerPage)).toHaveText("В производстве");
  await expect(makerActions.getByRole("button")).toHaveText(["Отгрузить"]);
  await expect(makerPage.getByTestId("escrow-balance")).toHaveText(/210\s000\s₽/);
  await makerActions.scrollIntoViewIfNeeded();
  await makerPage.screenshot({ path: "test-results/screens/contracts-04c-maker-after-approval-ships-next.png" });
  const milestones = makerPage.getByRole("table", { name: "Этапы оплаты" });
  await expect(milestones.getByRole("row", { name: /Первый образец/ })).toContainText("Выплачено");
  await expect(milestones.getByRole("row", { name: /Первый образец/ })).toContainText(/85\s500\s₽/);
  // The statement names the payout by its milestone; the payout instruction's id is folded away, to copy.
  const statement = makerPage.getByRole("table", { name: "Выписка по эскроу-счёту" });
  const payout = statement.getByRole("row", { name: /Выплата производителю/ });
  await expect(payout).toContainText("Выплата производителю · этап «Первый образец»");
  await expect(payout.locator("code")).toBeHidden();
  await payout.getByText("Идентификатор в платёжной системе").click();
  await expect(payout.locator("code")).toHaveText(/^[0-9a-f-]{36}$/);
  await screenshot(makerPage, "contracts-05-maker-after-first-article");
  await expectAccessible(makerPage);

  // Messages both ways, live.
  await makerPage.getByLabel("Сообщение для другой стороны").fill("Партия готова, отгружаем завтра СДЭКом.");
  await makerPage.getByRole("button", { name: "Отправить", exact: true }).click();
  await expect(buyerPage.getByRole("list", { name: "Переписка" })).toContainText("Партия готова, отгружаем завтра СДЭКом.");
  await buyerPage.getByLabel("Сообщение для другой стороны").fill("Хорошо, ждём.");
  await buyerPage.getByRole("button", { name: "Отправить", exact: true }).click();
  await expect(makerPage.getByRole("list", { name: "Переписка" })).toContainText("Хорошо, ждём.");
  await expect(opsPage.getByRole("list", { name: "Переписка" })).toContainText("Хорошо, ждём.");
  await expect(opsPage.getByLabel("Сообщение для другой стороны")).toHaveCount(0);
  // Attachments come through the API (the files live in the parties' storage); the room lists them.
  const posted = await api.as(contract.maker.token).gql(
    `mutation($id: ID!, $files: [AttachmentInput!]) { postContractMessage(contractId: $id, body: "Протокол измерений", attachments: $files) { __typename } }`,
    {
      id: contract.id,
      files: [{ name: "Протокол_измерений_ред2.pdf", sizeBytes: 248_000, contentType: "application/pdf", checksum: `sha256:${"a".repeat(64)}` }],
    },
  );
  expect(posted.postContractMessage.__typename).toBe("ContractMessageSuccess");
  await expect(buyerPage.getByRole("list", { name: "Вложения" })).toContainText("Протокол_измерений_ред2.pdf (PDF, 242 КБ)");

  // Shipping with a tracking reference (confirmed), then delivery confirmed by the buyer.
  await makerActions.getByRole("button", { name: "Отгрузить" }).click();
  await makerActions.getByLabel("Трек-номер или номер накладной").fill("СДЭК 1234567890");
  await makerActions.getByRole("button", { name: "Подтвердить: Отгрузить" }).click();
  await expectStatusEverywhere([buyerPage, makerPage, opsPage], "Отгружен");
  await expect(buyerPage.getByTestId("tracking-reference")).toHaveText("СДЭК 1234567890");
  await expect(buyerPage.getByText(/Получение подтвердится автоматически через 10 дней/)).toBeVisible();
  await buyerActions.getByRole("button", { name: "Подтвердить получение" }).click();
  await expectStatusEverywhere([buyerPage, makerPage, opsPage], "Приёмка");
  await expect(buyerPage.getByText(/Партия будет принята автоматически через 7 дней/)).toBeVisible();

  // A refused step: the manufacturer has no accept button, and the API refuses its acceptDelivery.
  await expect(makerActions.getByRole("button")).toHaveCount(0);
  await expect(makerActions).toContainText("Сейчас от вас ничего не требуется.");
  const refused = await step(api, contract.maker.token, contract.id, "acceptDelivery");
  expect(refused.__typename).toBe("PermissionDeniedError");
  await makerPage.reload();
  await expect(statusOf(makerPage)).toHaveText("Приёмка");
  await expect(makerPage.getByTestId("escrow-balance")).toHaveText(/210\s000\s₽/);

  // The buyer accepts; escrow is released; every room shows it completed.
  await expect(buyerActions.getByRole("button")).toHaveText(["Принять партию", "Открыть спор"]);
  await buyerActions.getByRole("button", { name: "Принять партию" }).click();
  await buyerActions.getByRole("button", { name: "Подтвердить: Принять партию" }).click();
  await expectStatusEverywhere([buyerPage, makerPage, opsPage], "Завершён");
  await expect(buyerPage.getByTestId("escrow-balance")).toHaveText(/0\s₽/);
  await expect(buyerPage.locator('[aria-current="step"]')).toContainText("Завершён");

  // The blind review.
  const reviews = buyerPage.getByRole("region", { name: "Отзывы" });
  await expect(reviews.getByRole("heading", { name: `Оцените работу с ${contract.maker.organisationName}` })).toBeVisible();
  await reviews.getByRole("button", { name: "Отправить отзыв" }).click();
  await expect(reviews.getByRole("alert")).toBeVisible();
  await reviews.getByLabel("5 — из 5").check();
  await reviews.getByLabel("Отзыв").fill("Точно в срок, первый образец переделали за два дня.");
  await reviews.getByRole("button", { name: "Отправить отзыв" }).click();
  await expect(reviews).toContainText("Точно в срок, первый образец переделали за два дня.");
  await expect(reviews).toContainText("Скрыт до отзыва второй стороны");
  await expect(reviews.getByRole("button", { name: "Отправить отзыв" })).toHaveCount(0);
  await screenshot(buyerPage, "contracts-06-completed-with-review");
  await expectAccessible(buyerPage);
  await expect(makerPage.getByRole("region", { name: "Отзывы" }).getByRole("button", { name: "Отправить отзыв" })).toBeVisible();
  await screenshot(opsPage, "contracts-07-operator-completed");

  // The manufacturer's public page charts its record month by month: this shipment, on time.
  await buyerPage.getByRole("link", { name: contract.maker.organisationName }).click();
  await expect(buyerPage.getByRole("heading", { level: 1, name: contract.maker.organisationName })).toBeVisible();
  await expect(buyerPage.getByRole("img", { name: "Поставки в срок по месяцам: в срок 1 из 1 отгрузки за год" })).toBeVisible();
  await expect(buyerPage.getByRole("img", { name: "Споры по месяцам: споры: 0 на 1 отгрузку за год" })).toBeVisible();
  await screenshot(buyerPage, "contracts-11-supplier-record-charts");
  await expectAccessible(buyerPage);

  // The same room in English.
  const englishPage = await pageSignedIn(browser, contract.maker.token, "en");
  await englishPage.goto(room);
  await expect(englishPage.getByTestId("contract-status")).toHaveText("Completed");
  await expect(englishPage.getByRole("heading", { level: 1, name: `Contract for “${title}”` })).toBeVisible();
  await screenshot(englishPage, "contracts-08-room-en");
  await expectAccessible(englishPage);
});

test("the buyer opens a dispute during inspection and the operator sees it live", async ({ browser, api }) => {
  test.setTimeout(120_000);
  const title = unique("Вал-шестерня ");
  const contract = await awardedContract(api, title);
  await recordTransfer(api, contract);
  for (const name of ["startProduction"]) expect((await step(api, contract.maker.token, contract.id, name)).__typename).toBe("ContractSuccess");
  expect((await step(api, contract.maker.token, contract.id, "ship", { trackingReference: "ПЭК 55" })).__typename).toBe("ContractSuccess");
  expect((await step(api, contract.buyer.token, contract.id, "confirmDelivery")).__typename).toBe("ContractSuccess");

  const opsPage = await pageSignedIn(browser, contract.operatorToken);
  await opsPage.goto(`/contracts/${contract.id}`);
  await expect(statusOf(opsPage)).toHaveText("Приёмка");
  const buyerPage = await pageSignedIn(browser, contract.buyer.token);
  await buyerPage.goto(`/contracts/${contract.id}`);
  const actions = buyerPage.getByRole("region", { name: "Ваши действия" });
  await actions.getByRole("button", { name: "Открыть спор" }).click();
  await actions.getByLabel("Причина").fill("У 40 деталей царапины на посадочной поверхности.");
  await screenshot(buyerPage, "contracts-09-dispute-form");
  await actions.getByRole("button", { name: "Подтвердить: Открыть спор" }).click();
  await expectStatusEverywhere([buyerPage, opsPage], "Спор");
  await expect(actions.getByRole("button")).toHaveCount(0);
  await expect(opsPage.getByRole("region", { name: "Ваши действия" })).toContainText("Спор разрешается в консоли оператора.");
  await expect(opsPage.locator('[aria-current="step"]')).toContainText("Спор");
  await expect(opsPage.getByTestId("escrow-balance")).toHaveText(/300\s000\s₽/);
  await screenshot(opsPage, "contracts-10-operator-sees-dispute");
  await expectAccessible(opsPage);

  // The operator decides (in the console; here through the API): two thirds to the manufacturer, the rest back.
  // The buyer's statement says where the refund came from (the decision, its note) and how it goes back.
  const note = "Царапины на 40 деталях: треть цены возвращается заказчику.";
  const resolved = await api.as(contract.operatorToken).gql(
    `mutation($id: ID!, $note: String!) {
      result: resolveDispute(contractId: $id, release: {amount: "200000", currency: "RUB"}, note: $note) { __typename }
    }`,
    { id: contract.id, note },
  );
  expect(resolved.result.__typename).toBe("ContractSuccess");
  await buyerPage.reload();
  const statement = buyerPage.getByRole("table", { name: "Выписка по эскроу-счёту" });
  const refund = statement.getByRole("row", { name: /Возврат заказчику/ });
  await expect(refund).toContainText("по решению спора · банковским переводом — оператор ещё не перевёл");
  await expect(refund).toContainText(`«${note}»`);
  await expect(refund).toContainText(/−100\s000\s₽/);
  await refund.scrollIntoViewIfNeeded();
  await screenshot(buyerPage, "contracts-12-refund-by-dispute-decision");
});

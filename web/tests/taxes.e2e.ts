// Issue 22, VAT: a manufacturer declares its tax status on the company page; the bid form says its prices include
// VAT; the buyer sees each bid's VAT («в т. ч. НДС 22 %», «без НДС» for a simplified-system bidder) and the order's
// budget «с НДС»; the contract room shows net, VAT and gross for the total, milestones, fee and the amount due.
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { signInOperator, signUp, unique, type Account, type Api } from "./support/api";
import { step } from "./support/contracts";
import { placeBid, publishOrder } from "./support/maker";
import { manufacturerWithProfile } from "./support/manufacturers";

async function declare(api: Api, account: Account, taxStatus: string): Promise<void> {
  const data = await api
    .as(account.token)
    .gql(`mutation($id: ID!, $s: TaxStatus!) { setTaxStatus(id: $id, taxStatus: $s) { __typename } }`, {
      id: account.organisationId,
      s: taxStatus,
    });
  if (data.setTaxStatus.__typename !== "OrganisationSuccess") throw new Error(JSON.stringify(data));
}

test("VAT from the tax status through the bid to the contract's money", async ({ browser, api }) => {
  test.setTimeout(180_000);
  const title = unique("Фланец ");
  const buyer = await signUp(api, { kind: "BUYER", name: `ООО «${unique("Заказчик ")}»` });
  await declare(api, buyer, "VAT_GENERAL");
  const maker = await manufacturerWithProfile(api, { name: unique("Фрезер ") });
  const simplified = await manufacturerWithProfile(api, { name: unique("Токарь ") });
  await declare(api, simplified, "SIMPLIFIED_NO_VAT");
  const orderId = await publishOrder(api, buyer, { title, quantity: 500 });

  // The manufacturer's admin declares the general system on its company page.
  const makerPage = await pageSignedIn(browser, maker.token);
  await makerPage.goto(`/company/${encodeURIComponent(maker.organisationId)}`);
  const taxes = makerPage.getByRole("region", { name: "Налоги" });
  await expect(taxes.getByTestId("tax-status")).toHaveText("не указан");
  await taxes.getByLabel("Налоговый режим").selectOption({ label: "ОСНО, плательщик НДС" });
  await taxes.getByRole("button", { name: "Сохранить налоговый режим" }).click();
  await expect(taxes.getByRole("status")).toContainText("Налоговый режим сохранён");
  await expect(taxes.getByTestId("tax-status")).toHaveText("ОСНО, плательщик НДС · ждёт проверки оператором");
  await expect(taxes).toContainText("НДС 22 %");
  await screenshot(makerPage, "taxes-01-company-tax-status");
  await expectAccessible(makerPage);

  // The bid form says the prices are entered with VAT.
  await makerPage.goto(`/orders/${encodeURIComponent(orderId)}`);
  await expect(makerPage.getByTestId("vat-terms")).toHaveText("Ваши цены включают НДС 22 % — указывайте их с НДС.");
  await screenshot(makerPage, "taxes-02-bid-form-vat-terms");

  await placeBid(api, maker, orderId, "300.00"); // 150 000,00 ₽ incl. 27 049,18 ₽ VAT
  await placeBid(api, simplified, orderId, "290.00"); // 145 000,00 ₽, no VAT

  // The buyer sees each bid with its VAT, and the budget stated with VAT.
  const buyerPage = await pageSignedIn(browser, buyer.token);
  await buyerPage.goto(`/orders/${encodeURIComponent(orderId)}`);
  await expect(buyerPage.getByText(/100\s000\s₽ — 250\s000\s₽/).first()).toBeVisible();
  await expect(buyerPage.getByText("с НДС", { exact: true }).first()).toBeVisible();
  await expect(buyerPage.getByText(/в т\. ч\. НДС 22 %: 27\s049,18\s₽ · без НДС: 122\s950,82\s₽/).first()).toBeVisible();
  await expect(buyerPage.getByText("без НДС", { exact: true }).first()).toBeVisible();
  await screenshot(buyerPage, "taxes-03-buyer-bids-with-vat");

  // Awarded: the contract room shows net, VAT and gross throughout.
  const bids = await api
    .as(buyer.token)
    .gql(`query($id: ID!) { order(id: $id) { bids(first: 10) { edges { node { id manufacturer { id } } } } } }`, {
      id: orderId,
    });
  const winner = bids.order.bids.edges.find(
    (edge: { node: { manufacturer: { id: string } } }) => edge.node.manufacturer.id === maker.organisationId,
  ).node.id;
  const award = await api
    .as(buyer.token)
    .gql(`mutation($id: ID!) { awardBid(bidId: $id) { __typename ... on AwardBidSuccess { contract { id } } } }`, {
      id: winner,
    });
  const contractId = award.awardBid.contract.id;
  await buyerPage.goto(`/contracts/${encodeURIComponent(contractId)}`);
  const total = buyerPage.getByTestId("contract-total");
  await expect(total).toContainText(/150\s000\s₽/);
  await expect(total).toContainText(/в т\. ч\. НДС 22 %: 27\s049,18\s₽/);
  const money = buyerPage.getByRole("region", { name: "Деньги" });
  await expect(money).toContainText(/в т\. ч\. НДС 22 %: 1\s352,46\s₽/); // the fee's VAT, per milestone line
  const funding = buyerPage.getByRole("region", { name: "Реквизиты для оплаты" });
  await expect(funding).toContainText(/в т\. ч\. НДС 22 %: 27\s049,18\s₽/);
  await money.scrollIntoViewIfNeeded();
  await screenshot(buyerPage, "taxes-04-contract-money-with-vat");

  // Funded, produced, accepted through the API: the fee is released with its VAT on its own ledger line.
  const operatorToken = await signInOperator(api);
  const reference = (
    await api
      .as(buyer.token)
      .gql(`query($id: ID!) { contract(id: $id) { fundingInstructions { paymentReference } } }`, { id: contractId })
  ).contract.fundingInstructions.paymentReference;
  const recorded = await api.as(operatorToken).gql(
    `mutation($ref: String!, $txn: String!, $on: Date!) {
      recordBankTransfer(paymentReference: $ref, bankTransactionId: $txn, amount: {amount: "150000", currency: "RUB"},
        receivedOn: $on) { __typename }
    }`,
    { ref: reference, txn: unique("WIRE-"), on: new Date().toISOString().slice(0, 10) },
  );
  expect(recorded.recordBankTransfer.__typename).toBe("ContractSuccess");
  await step(api, maker.token, "startProduction", contractId);
  await step(api, maker.token, "submitFirstArticle", contractId, ', note: "Протокол ПКИ"');
  await step(api, buyer.token, "approveFirstArticle", contractId);
  await step(api, maker.token, "ship", contractId, ', trackingReference: "СДЭК 1"');
  await step(api, buyer.token, "confirmDelivery", contractId);
  await step(api, buyer.token, "acceptDelivery", contractId);

  // The operator checks the manufacturer's tax status and reads the fees by month: net, VAT, total.
  const operatorPage = await pageSignedIn(browser, operatorToken);
  await operatorPage.goto("/operator/taxes");
  await expect(operatorPage.getByRole("heading", { level: 1, name: "Налоги" })).toBeVisible();
  const toCheck = operatorPage.getByRole("region", { name: "Налоговые режимы на проверке" });
  const makerRow = toCheck.getByRole("listitem").filter({ hasText: maker.organisationName });
  await expect(makerRow).toContainText("ОСНО, плательщик НДС");
  await expect(toCheck.getByRole("listitem").filter({ hasText: simplified.organisationName })).toContainText("УСН без НДС");
  const report = operatorPage.getByRole("table", { name: "Комиссии биржи по месяцам" });
  // The report's months are Moscow's (the exchange's reporting time zone), and the page says so.
  const thisMonth = new Intl.DateTimeFormat("ru-RU", { month: "long", year: "numeric", timeZone: "Europe/Moscow" }).format(
    new Date(),
  );
  await expect(report.getByRole("row").filter({ hasText: thisMonth })).toHaveCount(1);
  await expect(operatorPage.getByText("Месяцы и границы года — по часовому поясу Europe/Moscow.")).toBeVisible();
  await screenshot(operatorPage, "taxes-05-operator-taxes");
  await expectAccessible(operatorPage);
  // The year is picked from a list (this year first), not typed into a spinner; last year had no fees.
  const year = operatorPage.getByLabel("Год");
  const thisYear = new Date().getUTCFullYear();
  await expect(year).toHaveValue(String(thisYear));
  await year.selectOption(String(thisYear - 1));
  await expect(operatorPage.getByText("За этот год комиссий нет.")).toBeVisible();
  await year.selectOption(String(thisYear));
  await expect(report.getByRole("row").filter({ hasText: thisMonth })).toHaveCount(1);
  await makerRow.getByRole("button", { name: `Отметить проверенным: ${maker.organisationName}` }).click();
  await expect(toCheck.getByRole("listitem").filter({ hasText: maker.organisationName })).toHaveCount(0);
});

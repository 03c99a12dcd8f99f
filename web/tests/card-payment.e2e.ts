// Issue 17, card payment: the buyer of an awarded contract pays escrow by card on /contracts/:id/pay with
// Stripe.js — here localstripe's stand-in, loaded from the address the API gives — against a server with the
// Stripe provider (tests/support/serve-stripe.sh). localstripe's stand-in asks for "3D Secure" on every payment
// (tests/stripe/localstripe_process.py says why): "Fail authentication" is the declined card, which leaves the
// contract awaiting funding; "Complete authentication" pays, localstripe sends payment_intent.succeeded to our
// /webhooks/stripe, the worker funds the contract and the page says so without a reload.
import type { ChildProcess } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { signUp, unique, type Account, type Api } from "./support/api";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { placeBid, publishOrder } from "./support/maker";
import { manufacturerWithProfile } from "./support/manufacturers";
import { STRIPE_SERVER_URL, startStripeServer, stopStripeServer } from "./support/stripeServer";

test.use({ baseURL: STRIPE_SERVER_URL });

let server: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startStripeServer();
});

test.afterAll(async () => {
  await stopStripeServer(server);
});

const CONTRACT = `query($id: ID!) { contract(id: $id) { status escrowBalance { amount currency }
  fundingInstructions { amountDue { amount currency } card { publishableKey jsUrl } } } }`;

interface Awarded {
  buyer: Account;
  maker: Account;
  contractId: string;
}

/** A buyer's order, a manufacturer's bid of 290 RUB × 500 pieces, and the award: a contract awaiting funding. */
async function awardedContract(api: Api, title: string): Promise<Awarded> {
  const buyer = await signUp(api, { kind: "BUYER", name: `ООО «${unique("Заказчик ")}»` });
  const maker = await manufacturerWithProfile(api, { name: `ООО «${unique("Уралфрез ")}»` });
  const orderId = await publishOrder(api, buyer, { title });
  const bidId = await placeBid(api, maker, orderId);
  const data = await api.as(buyer.token).gql(
    `mutation($bid: ID!) { awardBid(bidId: $bid) { __typename ... on AwardBidSuccess { contract { id } }
       ... on UserError { code message } } }`,
    { bid: bidId },
  );
  if (data.awardBid.__typename !== "AwardBidSuccess") throw new Error(JSON.stringify(data.awardBid));
  return { buyer, maker, contractId: data.awardBid.contract.id };
}

/** Types a card into the Card Element (the stand-in's plain inputs; Stripe's own lives in an iframe). */
async function typeCard(page: Page, number: string): Promise<void> {
  const element = page.locator("#card-element");
  await element.locator('input[placeholder="number"]').fill(number);
  await element.locator('input[placeholder="exp_month"]').fill("12");
  await element.locator('input[placeholder="exp_year"]').fill("34");
  await element.locator('input[placeholder="cvc"]').fill("123");
  await element.locator('input[placeholder="postal_code"]').fill("101000");
}

/** axe on the page, leaving out the Card Element: Stripe renders its own (labelled, in an iframe); the
 * stand-in's bare inputs are not ours. Our fieldset and legend around it are checked. */
async function expectAccessibleAroundCard(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .exclude("#card-element")
    .analyze();
  expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}

test("the buyer pays by card: a declined attempt leaves the contract unfunded, the next one funds it", async ({
  browser,
  api,
}) => {
  test.setTimeout(120_000);
  const title = `${unique("Корпус датчика ")}, 500 шт.`;
  const { buyer, maker, contractId } = await awardedContract(api, title);
  const before = (await api.as(buyer.token).gql(CONTRACT, { id: contractId })).contract;
  expect(before.fundingInstructions.card.jsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/js\.stripe\.com\/v3\/$/);
  expect(before.fundingInstructions.amountDue).toEqual({ amount: "145000.00", currency: "RUB" });

  const page = await pageSignedIn(browser, buyer.token);
  await page.goto(`/contracts/${contractId}/pay`);
  await expect(page.getByRole("heading", { level: 1, name: "Оплата контракта картой" })).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await expect(page.getByText(maker.organisationName)).toBeVisible();
  await expect(page.locator(".pay-due")).toHaveText(/^145\s000\s₽$/);
  await expect(page.getByRole("group", { name: "Данные карты" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Реквизиты для перевода" })).toHaveAttribute(
    "href",
    `/contracts/${contractId}#funding`,
  );
  await typeCard(page, "4242424242424242");
  const pay = page.getByRole("button", { name: /^Оплатить 145\s000\s₽$/ });
  await expect(pay).toBeEnabled();
  await expectAccessibleAroundCard(page);
  await screenshot(page, "card-01-pay-form");

  // The declined attempt: the stand-in's 3-D Secure box, failed.
  await pay.click();
  const failAuthentication = page.getByRole("button", { name: "Fail authentication" });
  await expect(failAuthentication).toBeVisible();
  await screenshot(page, "card-02-3d-secure");
  await failAuthentication.click();
  const refusal = page.getByRole("alert").filter({ hasText: "Платёж отклонён" });
  await expect(refusal).toContainText("The provided PaymentMethod has failed authentication.");
  await expect(pay).toBeEnabled();
  await expectAccessibleAroundCard(page);
  await screenshot(page, "card-03-declined");
  const declined = (await api.as(buyer.token).gql(CONTRACT, { id: contractId })).contract;
  expect(declined.status).toBe("PENDING_FUNDING");
  expect(declined.escrowBalance).toEqual({ amount: "0.00", currency: "RUB" });
  expect(declined.fundingInstructions.amountDue).toEqual({ amount: "145000.00", currency: "RUB" });

  // Again, authenticated: paid, then funded once Stripe's webhook has been processed.
  await pay.click();
  await page.getByRole("button", { name: "Complete authentication" }).click();
  await expect(page.getByText(/^Оплата получена: деньги на эскроу-счёте, статус контракта — «Оплачен»/)).toBeVisible({ timeout: 30_000 });
  await expect(refusal).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Перейти к контракту" })).toHaveAttribute("href", `/contracts/${contractId}`);
  await expectAccessible(page);
  await screenshot(page, "card-04-funded");
  const funded = (await api.as(buyer.token).gql(CONTRACT, { id: contractId })).contract;
  expect(funded.status).toBe("FUNDED");
  expect(funded.escrowBalance).toEqual({ amount: "145000.00", currency: "RUB" });
  expect(funded.fundingInstructions).toBeNull();

  // Coming back to a funded contract: nothing to pay, and no card form.
  await page.reload();
  await expect(page.getByText(/Этот контракт не ожидает оплаты\. Статус: /)).toBeVisible();
  await expect(page.locator("#card-element")).toHaveCount(0);

  // The contract's statement says the money came by card; the card provider's payment id only folded away.
  await page.goto(`/contracts/${contractId}`);
  const statement = page.getByRole("table", { name: "Выписка по эскроу-счёту" });
  const paid = statement.getByRole("row", { name: /Оплата заказчика/ });
  await expect(paid).toContainText("Оплата заказчика · картой");
  await expect(paid.locator("code")).toBeHidden();
  await screenshot(page, "card-04b-statement");
  await page.context().close();
});

test("card payment is the buyer's: the manufacturer sees why not; in English the form reads the same", async ({
  browser,
  api,
}) => {
  const title = `${unique("Втулка ")}, 500 шт.`;
  const { buyer, maker, contractId } = await awardedContract(api, title);

  const makerPage = await pageSignedIn(browser, maker.token);
  await makerPage.goto(`/contracts/${contractId}/pay`);
  await expect(makerPage.getByText("Оплата картой по этому контракту вам недоступна", { exact: false })).toBeVisible();
  await expect(makerPage.locator("#card-element")).toHaveCount(0);
  await expectAccessible(makerPage);
  await screenshot(makerPage, "card-05-manufacturer");
  const makerView = (await api.as(maker.token).gql(CONTRACT, { id: contractId })).contract;
  expect(makerView.fundingInstructions.card).toBeNull();
  await makerPage.context().close();

  const page = await pageSignedIn(browser, buyer.token, "en");
  await page.goto(`/contracts/${contractId}/pay`);
  await expect(page.getByRole("heading", { level: 1, name: "Pay for the contract by card" })).toBeVisible();
  await typeCard(page, "4242424242424242");
  await expect(page.getByRole("button", { name: /^Pay RUB\s145,000$|^Pay ₽145,000$/ })).toBeEnabled();
  await expectAccessibleAroundCard(page);
  await screenshot(page, "card-06-pay-form-en");
  await page.context().close();
});

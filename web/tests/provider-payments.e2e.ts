// Issue 19: a Stripe transfer the exchange could not make, from the operator's console. Against the card-payment
// server (tests/support/serve-stripe.sh: the Stripe provider and localstripe): a contract paid by card, the first
// article approved, and the shop's payout refused by Stripe (localstripe's test-only switch answers every transfer
// with Stripe's refusal for an account without the transfers capability). Nineteen refusals are written into the
// database (Stripe's retries would take half a day); the worker's twentieth gives up and the operators are told.
// The operator finds it on /operator/card-payments with Stripe's answer, cannot resolve it without a reason, retries
// it while Stripe still refuses (the new refusal is shown), and again once the account is fixed: the transfer is
// made once, and the contract's ledger line names it.
import type { ChildProcess } from "node:child_process";
import { signInOperator, type Api } from "./support/api";
import { awardedContract, step } from "./support/contracts";
import { sql } from "./support/db";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { LOCALSTRIPE_URL, STRIPE_SERVER_PORT, STRIPE_SERVER_URL, startStripeServer, stopStripeServer } from "./support/stripeServer";

test.use({ baseURL: STRIPE_SERVER_URL });

let server: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startStripeServer();
});

test.afterAll(async () => {
  await stopStripeServer(server);
});

const REFUSAL =
  "Your destination account needs to have at least one of the following capabilities enabled: transfers, legacy_payments";

async function stripe(path: string, form: Record<string, string>): Promise<Record<string, any>> {
  const response = await fetch(`${LOCALSTRIPE_URL}${path}`, {
    method: "POST",
    headers: { authorization: "Bearer sk_test_e2e_card_payments", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 120; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The buyer pays the whole price by card (what Stripe.js does, straight against localstripe). */
async function paidByCard(api: Api, buyerToken: string, contractId: string): Promise<void> {
  const data = await api
    .as(buyerToken)
    .gql(`mutation($id: ID!) { fundContract(contractId: $id) { __typename ... on FundContractSuccess { clientSecret } } }`, {
      id: contractId,
    });
  const intentId = String(data.fundContract.clientSecret).split("_secret_")[0];
  const method = await stripe("/v1/payment_methods", {
    type: "card",
    "card[number]": "4242424242424242",
    "card[exp_month]": "12",
    "card[exp_year]": "2034",
    "card[cvc]": "123",
  });
  await stripe(`/v1/payment_intents/${intentId}`, { payment_method: method.id });
  await stripe(`/v1/payment_intents/${intentId}/confirm`, {});
  await until("the card payment to fund the contract", async () => {
    const state = await api.as(buyerToken).gql(`query($id: ID!) { contract(id: $id) { status } }`, { id: contractId });
    return state.contract.status === "FUNDED" ? true : undefined;
  });
}

test("a payout Stripe refused is retried from the operator's console and made once", async ({ browser, api }) => {
  test.setTimeout(120_000);
  const contract = await awardedContract(api, "Кронштейн опоры, сталь 09Г2С");
  await paidByCard(api, contract.buyer.token, contract.contractId);
  const link = await api.as(contract.maker.token).gql(
    `mutation($org: ID!) { createStripeOnboardingLink(organisationId: $org, returnUrl: "https://spa.test/ok",
       refreshUrl: "https://spa.test/again") { __typename ... on PayoutAccountLinkSuccess { url } } }`,
    { org: contract.maker.organisationId },
  );
  const account = String(link.createStripeOnboardingLink.url).split("/").pop()!.split("?")[0];
  // Onboarding finished and cleared by Stripe (what account.updated with payouts_enabled records).
  sql(STRIPE_SERVER_PORT, "UPDATE organisation SET stripe_payouts_enabled = true WHERE stripe_account_id = $1", account);
  await stripe("/_config/test-only-transfers", { refuse: REFUSAL });
  await step(api, contract.maker.token, "startProduction", contract.contractId);
  await step(api, contract.maker.token, "submitFirstArticle", contract.contractId);
  await step(api, contract.buyer.token, "approveFirstArticle", contract.contractId);
  // As after nineteen refusals: the worker's next attempt is the twentieth, and it gives up.
  const seeded = sql(
    STRIPE_SERVER_PORT,
    "UPDATE provider_payment SET attempts = 19, claimed_until = NULL WHERE request->>'destination' = $1 RETURNING id",
    account,
  );
  expect(seeded).toHaveLength(1);
  await until("the worker to give the payout up", () => {
    const [row] = sql(STRIPE_SERVER_PORT, "SELECT status FROM provider_payment WHERE request->>'destination' = $1", account);
    return row?.status === "failed" ? true : undefined;
  });

  const operatorToken = await signInOperator(api);
  const page = await pageSignedIn(browser, operatorToken);
  await page.goto("/operator");
  await page.getByRole("link", { name: "Сбои Stripe" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Платежи через Stripe, требующие внимания" })).toBeVisible();
  const card = page.getByTestId("provider-payment").filter({ hasText: contract.title });
  await expect(card.getByRole("heading", { name: /Перевод производителю: 42\s750\s₽/ })).toBeVisible();
  await expect(card.getByTestId("provider-payment-status")).toHaveText("Не удался");
  await expect(card.getByTestId("provider-payment-error")).toContainText("capabilities enabled: transfers");
  await expect(card.getByText(account)).toBeVisible();
  await screenshot(page, "provider-payments-01-failed");
  await expectAccessible(page);

  // Resolved by hand needs a reason: refused at the field, nothing changes.
  await card.getByText("Решён вручную").click();
  await card.getByRole("button", { name: "Отметить решённым" }).click();
  await expect(card.getByLabel("Что сделано и почему вручную")).toHaveAttribute("aria-invalid", "true");
  await expect(card.getByTestId("provider-payment-status")).toHaveText("Не удался");

  // Stripe still refuses: the new refusal is shown, and the payment stays failed.
  await card.getByRole("button", { name: /Повторить сейчас: Перевод производителю/ }).click();
  await expect(card.getByRole("status")).toContainText("Платёжная система снова отказала");
  await expect(card.getByTestId("provider-payment-status")).toHaveText("Не удался");
  await screenshot(page, "provider-payments-02-refused-again");

  // The account is fixed: the retry makes the transfer, once.
  await stripe("/_config/test-only-transfers", { refuse: "" });
  await card.getByRole("button", { name: /Повторить сейчас: Перевод производителю/ }).click();
  await expect(card.getByRole("status")).toContainText(/Платёж сделан: tr_/);
  await expect(card.getByTestId("provider-payment-status")).toHaveText("Сделан");
  await expect(card.getByRole("button", { name: /Повторить сейчас/ })).toHaveCount(0);
  await screenshot(page, "provider-payments-03-made");

  const transfers = sql(
    STRIPE_SERVER_PORT,
    "SELECT provider_reference FROM provider_payment WHERE request->>'destination' = $1 AND status = 'made'",
    account,
  );
  expect(transfers).toHaveLength(1);
  const ledger = await api
    .as(contract.maker.token)
    .gql(`query($id: ID!) { contract(id: $id) { ledgerLines { kind providerReference pending } } }`, {
      id: contract.contractId,
    });
  const releases = ledger.contract.ledgerLines.filter((line: { kind: string }) => line.kind === "release");
  expect(releases.map((line: { providerReference: string }) => line.providerReference)).toContain(
    transfers[0].provider_reference,
  );
  expect(releases.every((line: { pending: boolean }) => !line.pending)).toBe(true);
  await page.reload();
  await expect(page.getByTestId("provider-payment").filter({ hasText: contract.title })).toHaveCount(0);
});

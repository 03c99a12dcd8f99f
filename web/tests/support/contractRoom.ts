// Contracts made through the API for the contract room's journeys: an awarded bid, an operator's bank transfer,
// and steps taken by a party without clicking.
import type { Account, Api } from "./api";
import { signInOperator, signUp, unique } from "./api";
import { createOrder } from "./bidding";
import { manufacturerWithProfile } from "./manufacturers";

const PLACE_BID = `mutation($input: PlaceBidInput!) {
  placeBid(input: $input) { __typename ... on BidSuccess { bid { id } } ... on UserError { message field } }
}`;
const AWARD = `mutation($id: ID!) {
  awardBid(bidId: $id) { __typename ... on AwardBidSuccess { contract { id } } ... on UserError { message field } }
}`;
const CONTRACT = `query($id: ID!) { contract(id: $id) {
  status fundingInstructions { paymentReference amountDue { amount currency } }
} }`;
const RECORD = `mutation($ref: String!, $txn: String!, $amount: MoneyInput!, $on: Date!) {
  recordBankTransfer(paymentReference: $ref, bankTransactionId: $txn, amount: $amount, receivedOn: $on) {
    __typename ... on ContractSuccess { contract { status } } ... on UserError { message field }
  }
}`;

export interface AwardedContract {
  id: string;
  title: string;
  buyer: Account;
  maker: Account;
  operatorToken: string;
  paymentReference: string;
}

/** A buyer's order, a manufacturer's bid of 1 500 ₽ a part for 200 parts (300 000 ₽), awarded. */
export async function awardedContract(api: Api, title: string): Promise<AwardedContract> {
  const buyer = await signUp(api, { kind: "BUYER", name: `ООО «${unique("Заказчик ")}»`, fullName: "Анна Петрова" });
  const maker = await manufacturerWithProfile(api, { name: `АО «${unique("Уралфрез ")}»` });
  const orderId = await createOrder(api, buyer, { title, quantity: 200 });
  const placed = await api.as(maker.token).gql(PLACE_BID, {
    input: {
      orderId,
      terms: {
        unitPrice: { amount: "1500.00", currency: "RUB" },
        leadTimeDays: 30,
        validUntil: new Date(Date.now() + 40 * 24 * 3600 * 1000).toISOString().slice(0, 10),
      },
    },
  });
  if (placed.placeBid.__typename !== "BidSuccess") throw new Error(JSON.stringify(placed));
  const awarded = await api.as(buyer.token).gql(AWARD, { id: placed.placeBid.bid.id });
  if (awarded.awardBid.__typename !== "AwardBidSuccess") throw new Error(JSON.stringify(awarded));
  const id = awarded.awardBid.contract.id as string;
  const contract = await api.as(buyer.token).gql(CONTRACT, { id });
  return {
    id,
    title,
    buyer,
    maker,
    operatorToken: await signInOperator(api),
    paymentReference: contract.contract.fundingInstructions.paymentReference,
  };
}

/** The operator books the buyer's wire (the operator's console is another screen's business). */
export async function recordTransfer(api: Api, contract: AwardedContract, amount = "300000.00"): Promise<string> {
  const data = await api.as(contract.operatorToken).gql(RECORD, {
    ref: contract.paymentReference,
    txn: unique("BANK-"),
    amount: { amount, currency: "RUB" },
    on: new Date().toISOString().slice(0, 10),
  });
  if (data.recordBankTransfer.__typename !== "ContractSuccess") throw new Error(JSON.stringify(data));
  return data.recordBankTransfer.contract.status;
}

/** A step by mutation: `name(contractId: $id, ...args)`, returning the result's typename and status. */
export async function step(
  api: Api,
  token: string,
  contractId: string,
  name: string,
  args: Record<string, string> = {},
): Promise<{ __typename: string; contract?: { status: string }; code?: string }> {
  const params = Object.keys(args)
    .map((key) => `, $${key}: String!`)
    .join("");
  const passed = Object.keys(args)
    .map((key) => `, ${key}: $${key}`)
    .join("");
  const data = await api.as(token).gql(
    `mutation($id: ID!${params}) { result: ${name}(contractId: $id${passed}) {
      __typename ... on ContractSuccess { contract { status } } ... on UserError { code message }
    } }`,
    { id: contractId, ...args },
  );
  return data.result;
}

// Contracts made through the API for the operator's journeys: an awarded contract waiting for its wire, and
// one carried to a dispute, with the parties' messages.
import { signUp, unique, type Account, type Api } from "./api";
import { manufacturerWithProfile } from "./manufacturers";
import { placeBid, publishOrder } from "./maker";

export interface AwardedContract {
  buyer: Account;
  maker: Account;
  title: string;
  contractId: string;
  reference: string;
}

const STEP_RESULT = `{ __typename ... on ContractSuccess { contract { status } } ... on UserError { code message field } }`;

/** 500 parts at 300.00 RUB: a 150,000.00 RUB contract (5 % fee), awarded and waiting for funding. */
export async function awardedContract(api: Api, title: string): Promise<AwardedContract> {
  const buyer = await signUp(api, { kind: "BUYER", name: `ООО «${unique("Заказчик ")}»` });
  const maker = await manufacturerWithProfile(api, { name: unique("Фрезер ") });
  const orderId = await publishOrder(api, buyer, { title, quantity: 500 });
  const bidId = await placeBid(api, maker, orderId, "300.00");
  const award = await api
    .as(buyer.token)
    .gql(`mutation($id: ID!) { awardBid(bidId: $id) { __typename ... on AwardBidSuccess { contract { id } } } }`, {
      id: bidId,
    });
  if (award.awardBid.__typename !== "AwardBidSuccess") throw new Error(JSON.stringify(award.awardBid));
  const contractId: string = award.awardBid.contract.id;
  const data = await api
    .as(buyer.token)
    .gql(`query($id: ID!) { contract(id: $id) { fundingInstructions { paymentReference } } }`, { id: contractId });
  return { buyer, maker, title, contractId, reference: data.contract.fundingInstructions.paymentReference };
}

export async function step(api: Api, token: string, mutation: string, contractId: string, args = ""): Promise<void> {
  const data = await api.as(token).gql(`mutation($id: ID!) { ${mutation}(contractId: $id${args}) ${STEP_RESULT} }`, {
    id: contractId,
  });
  if (data[mutation].__typename !== "ContractSuccess") throw new Error(`${mutation}: ${JSON.stringify(data[mutation])}`);
}

/** Funded by one wire (recorded through the API), produced, shipped, delivered and disputed by the buyer. */
export async function disputedContract(api: Api, operatorToken: string, title: string): Promise<AwardedContract> {
  const contract = await awardedContract(api, title);
  const recorded = await api.as(operatorToken).gql(
    `mutation($ref: String!, $txn: String!, $on: Date!) {
      recordBankTransfer(paymentReference: $ref, bankTransactionId: $txn, amount: {amount: "150000", currency: "RUB"},
        receivedOn: $on) ${STEP_RESULT}
    }`,
    { ref: contract.reference, txn: unique("WIRE-"), on: new Date().toISOString().slice(0, 10) },
  );
  if (recorded.recordBankTransfer.contract?.status !== "FUNDED") throw new Error(JSON.stringify(recorded));
  const { buyer, maker, contractId } = contract;
  await step(api, maker.token, "startProduction", contractId);
  await step(api, maker.token, "ship", contractId, ', trackingReference: "СДЭК 1029384756"');
  await step(api, buyer.token, "confirmDelivery", contractId);
  for (const [who, body] of [
    [buyer, "Из 500 деталей 100 не проходят по допуску на отверстие Ø12H7, протокол измерений приложен."],
    [maker, "Согласны по 100 деталям, остальные 400 соответствуют чертежу — готовы вернуть деньги за брак."],
  ] as const) {
    const posted = await api
      .as(who.token)
      .gql(`mutation($id: ID!, $body: String!) { postContractMessage(contractId: $id, body: $body) { __typename } }`, {
        id: contractId,
        body,
      });
    if (posted.postContractMessage.__typename === "ValidationError") throw new Error(JSON.stringify(posted));
  }
  await step(api, buyer.token, "openDispute", contractId, ', reason: "20 % деталей вне допуска"');
  return contract;
}

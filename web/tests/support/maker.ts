// What the manufacturer's journeys start from, made through the API: an open order from a buyer and a bid on
// it, and the dates they need.
import type { Api, Account } from "./api";

/** A date `days` from today (UTC), as the API's Date ("2027-03-01"). */
export function dateIn(days: number): string {
  return new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

export interface OrderOptions {
  title: string;
  description?: string;
  process?: string;
  material?: string;
  quantity?: number;
  estimatedMachineHours?: number | null;
  deliveryRegion?: string;
}

/** An order the buyer creates and publishes at once; returns its global id. */
export async function publishOrder(api: Api, buyer: Account, options: OrderOptions): Promise<string> {
  const data = await api.as(buyer.token).gql(
    `mutation($input: CreateOrderInput!) {
      createOrder(input: $input) {
        __typename ... on OrderSuccess { order { id status } } ... on UserError { code message field }
      }
    }`,
    {
      input: {
        title: options.title,
        description: options.description ?? "Чертёж в приложении, допуски по ГОСТ 25346.",
        process: options.process ?? "CNC_MILLING",
        material: options.material ?? "Алюминий Д16Т",
        quantity: options.quantity ?? 500,
        toleranceClass: "FINE",
        requiredCertifications: [],
        needBy: dateIn(60),
        deliveryRegion: options.deliveryRegion ?? "RU-MOW",
        budgetMin: { amount: "100000", currency: "RUB" },
        budgetMax: { amount: "250000", currency: "RUB" },
        biddingDeadline: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
        estimatedMachineHours: options.estimatedMachineHours ?? null,
        publish: true,
      },
    },
  );
  if (data.createOrder.__typename !== "OrderSuccess") throw new Error(JSON.stringify(data.createOrder));
  return data.createOrder.order.id;
}

/** The manufacturer's bid on an open order; returns its global id. */
export async function placeBid(api: Api, maker: Account, orderId: string, unitPrice = "290.00"): Promise<string> {
  const data = await api.as(maker.token).gql(
    `mutation($input: PlaceBidInput!) {
      placeBid(input: $input) {
        __typename ... on BidSuccess { bid { id } } ... on UserError { code message field }
      }
    }`,
    {
      input: {
        orderId,
        terms: { unitPrice: { amount: unitPrice, currency: "RUB" }, leadTimeDays: 30, validUntil: dateIn(30) },
      },
    },
  );
  if (data.placeBid.__typename !== "BidSuccess") throw new Error(JSON.stringify(data.placeBid));
  return data.placeBid.bid.id;
}

// Orders and bids made through the API, for the board and bidding journeys to start from.
import type { Account, Api } from "./api";

const CREATE_ORDER = `mutation($input: CreateOrderInput!) {
  createOrder(input: $input) {
    __typename
    ... on OrderSuccess { order { id title } }
    ... on UserError { code message field }
  }
}`;

export interface OrderOptions {
  title: string;
  region?: string;
  process?: string;
  quantity?: number;
  material?: string;
  description?: string;
  deadlineInDays?: number;
  certifications?: string[];
  allowSplit?: boolean;
  publish?: boolean;
}

export function daysFromNow(days: number): Date {
  return new Date(Date.now() + days * 24 * 3600 * 1000);
}

export async function createOrder(api: Api, buyer: Account, options: OrderOptions): Promise<string> {
  const deadline = daysFromNow(options.deadlineInDays ?? 7);
  const data = await api.as(buyer.token).gql(CREATE_ORDER, {
    input: {
      title: options.title,
      description: options.description ?? "Чертёж ред. Б, анодирование, контроль по ГОСТ.",
      process: options.process ?? "CNC_MILLING",
      material: options.material ?? "Алюминий Д16Т",
      quantity: options.quantity ?? 200,
      toleranceClass: "FINE",
      requiredCertifications: options.certifications ?? ["ISO_9001"],
      needBy: daysFromNow((options.deadlineInDays ?? 7) + 60).toISOString().slice(0, 10),
      deliveryRegion: options.region ?? "RU-MOW",
      budgetMin: { amount: "200000.00", currency: "RUB" },
      budgetMax: { amount: "450000.00", currency: "RUB" },
      biddingDeadline: deadline.toISOString(),
      estimatedMachineHours: 120,
      allowSplit: options.allowSplit ?? false,
      publish: options.publish ?? true,
    },
  });
  if (data.createOrder.__typename !== "OrderSuccess") throw new Error(JSON.stringify(data.createOrder));
  return data.createOrder.order.id;
}

/** The search index is fed by the worker: wait until searchOrders finds `count` orders for the query. */
export async function waitForOrderSearch(api: Api, token: string, query: string, count: number): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const data = await api
      .as(token)
      .gql(`query($q: String!) { searchOrders(query: $q) { __typename ... on OrderSearch { total } } }`, { q: query });
    if (data.searchOrders.total === count) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the order search did not reach ${count} results for ${query}`);
}

/** Spare machine-hours for a process over the next months: what recommended orders look for. */
export async function addCapacity(api: Api, maker: Account, process = "CNC_MILLING"): Promise<void> {
  const data = await api.as(maker.token).gql(
    `mutation($input: CapacityListingInput!) { addCapacityListing(input: $input) { __typename ... on UserError { message field } } }`,
    {
      input: {
        organisationId: maker.organisationId,
        process,
        machineHoursPerWeek: 80,
        availableFrom: new Date().toISOString().slice(0, 10),
        availableTo: daysFromNow(180).toISOString().slice(0, 10),
        hourlyRate: { amount: "3500.00", currency: "RUB" },
      },
    },
  );
  if (data.addCapacityListing.__typename !== "CapacityListingSuccess") throw new Error(JSON.stringify(data));
}

// One urql client per signed-in token: a sign-in or sign-out starts from an empty, normalised cache.
import { cacheExchange } from "@urql/exchange-graphcache";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { Client, fetchExchange, subscriptionExchange } from "urql";
import schema from "../generated/schema.json";
import { updates as notificationUpdates } from "../notifications/cache";
import { updates as savedSearchUpdates } from "../savedSearches/cache";
import { catchUp } from "./catchUp";
import { freshReads } from "./freshReads";
import { mergeUpdates } from "./updates";

export const GRAPHQL_PATH = "/graphql";

interface MinifiedType {
  kind: string;
  name: string;
  fields?: { name: string }[];
}

// Objects without an id (Money, PageInfo, connections, result payloads) are embedded in their parent,
// not normalised; Relay nodes are keyed by their global id.
const embeddedTypes: Record<string, () => null> = Object.fromEntries(
  (schema as unknown as { __schema: { types: MinifiedType[] } }).__schema.types
    .filter((type) => type.kind === "OBJECT" && !type.fields?.some((field) => field.name === "id"))
    .map((type) => [type.name, () => null]),
);

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}${GRAPHQL_PATH}`;
}

export interface ExchangeClient {
  client: Client;
  dispose: () => void;
}

/** What the client talks to: the browser's fetch and a graphql-ws socket by default (tests give their own). */
export interface Transport {
  fetch?: typeof fetch;
  socket?: (token: string, reconnected: () => void) => Pick<WsClient, "subscribe" | "dispose">;
}

function browserSocket(token: string, reconnected: () => void): WsClient {
  return createWsClient({
    url: wsUrl(),
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: { authorization: `Bearer ${token}` },
    on: {
      // Back after a drop: every subscription is sent again, and once each says Watching the screen is re-read
      // (events missed meanwhile are in it; ./catchUp.ts) — not now, before the server watches anything.
      connected: (_socket, _payload, wasRetry) => {
        if (wasRetry) reconnected();
      },
    },
  });
}

export function createExchangeClient(token: string | null, transport: Transport = {}): ExchangeClient {
  const resync = catchUp();
  const fresh = freshReads();
  // Subscriptions share the path; the token travels in connection_init (browsers cannot set ws headers).
  const ws = token ? (transport.socket ?? browserSocket)(token, resync.reconnected) : null;
  const exchanges = [
    resync.exchange,
    cacheExchange({
      schema: schema as never,
      keys: embeddedTypes,
      // What each area's mutations and subscriptions change (src/<area>/cache.ts).
      updates: mergeUpdates(notificationUpdates, savedSearchUpdates),
    }),
    // Below the cache: it sees the reads that go to the network, and every subscription result on its way up.
    fresh.exchange,
    fetchExchange,
  ];
  if (ws) {
    exchanges.push(
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return {
            subscribe(sink) {
              const tracked = resync.track(sink);
              const stop = ws.subscribe(input, tracked.sink);
              return {
                unsubscribe: () => {
                  tracked.forget();
                  stop();
                },
              };
            },
          };
        },
      }),
    );
  }
  const client = new Client({
    url: GRAPHQL_PATH,
    exchanges,
    preferGetMethod: false,
    fetch: transport.fetch,
    fetchOptions: () => (token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  resync.attach(client);
  fresh.attach(client);
  return { client, dispose: () => void ws?.dispose() };
}

// Events are not replayed (the server keeps no stream to resume): what a client can rely on is current state
// (README, Realtime). So the queries on screen are re-run from the network — but only once the server's watch is
// in place: graphql-transport-ws does not acknowledge a `subscribe`, and an event committed between a re-read made
// at connect time and the moment the server starts watching would be in neither. Every allowed subscription's first
// result is `Watching` (the union member the API sends once its watch is registered); once every subscription sent
// on the socket has said so — after the first connect as after every reconnect — the live queries are re-run, once.
import { type Client, type Exchange, type Operation, makeOperation } from "urql";
import { pipe, tap } from "wonka";

/** What a subscription's results go to (urql's ObserverLike and graphql-ws's Sink alike). */
export interface ResultSink<R> {
  next: (result: R) => void;
  error: (error: unknown) => void;
  complete: () => void;
}

interface Result {
  data?: unknown;
}

export interface CatchUp {
  exchange: Exchange;
  /** Re-run every live query from the network now; how many. */
  refetchAll: (client: Client) => number;
  /** The client whose queries are re-run when the subscriptions are confirmed. */
  attach: (client: Client) => void;
  /** A subscription being sent on the socket: its sink, wrapped so that its `Watching` counts, and `forget` for when
   * it is unsubscribed. */
  track: <R extends Result>(sink: ResultSink<R>) => { sink: ResultSink<R>; forget: () => void };
  /** The socket reconnected: the client library sends every subscription again, and each must say Watching again. */
  reconnected: () => void;
}

/** The API's confirmation that a subscription's watch is in force: a result whose root field is a `Watching`. */
export function isWatching(result: Result): boolean {
  const data = result.data as Record<string, unknown> | null | undefined;
  if (!data) return false;
  return Object.values(data).some(
    (value) => typeof value === "object" && value !== null && (value as { __typename?: unknown }).__typename === "Watching",
  );
}

// A server that never says Watching (an older API process met during a rolling deploy, or one still waiting for its
// listener) must not leave the screen un-read: after this long the queries are re-run anyway, and once more when the
// confirmations do come.
export const UNCONFIRMED_REREAD_MS = 5000;

export function catchUp(fallbackMs: number = UNCONFIRMED_REREAD_MS): CatchUp {
  const live = new Map<number, Operation>();
  let fallback: ReturnType<typeof setTimeout> | null = null;
  const active = new Set<object>(); // subscriptions sent on the socket and not yet ended
  const unconfirmed = new Set<object>(); // of those, the ones that have not said Watching since they were (re)sent
  let due = false; // a subscription was (re)sent since the last re-read
  let client: Client | null = null;

  const exchange: Exchange =
    ({ forward }) =>
    (operations$) =>
      forward(
        pipe(
          operations$,
          tap((operation) => {
            if (operation.kind === "query") live.set(operation.key, operation);
            else if (operation.kind === "teardown") live.delete(operation.key);
          }),
        ),
      );

  function refetchAll(target: Client): number {
    for (const operation of live.values()) {
      target.reexecuteOperation(
        makeOperation("query", operation, { ...operation.context, requestPolicy: "network-only" }),
      );
    }
    return live.size;
  }

  // Every subscription on the socket is watching: what was committed before is in a read made now.
  function settle(): void {
    if (!due || unconfirmed.size > 0 || !client) return;
    due = false;
    if (fallback !== null) clearTimeout(fallback);
    fallback = null;
    refetchAll(client);
  }

  // Some subscription was (re)sent: re-read on the confirmations, or after `fallbackMs` without them (keeping `due`,
  // so that the confirmations still re-read when they come).
  function awaitConfirmations(): void {
    due = true;
    if (fallback !== null) clearTimeout(fallback);
    fallback = setTimeout(() => {
      fallback = null;
      if (due && unconfirmed.size > 0 && client) refetchAll(client);
    }, fallbackMs);
  }

  function track<R extends Result>(sink: ResultSink<R>): { sink: ResultSink<R>; forget: () => void } {
    const subscription = {};
    active.add(subscription);
    unconfirmed.add(subscription);
    awaitConfirmations();
    const forget = () => {
      active.delete(subscription);
      unconfirmed.delete(subscription);
      settle(); // one that ends unconfirmed (refused, unsubscribed) holds the others' re-read back no longer
    };
    return {
      forget,
      sink: {
        next(result) {
          sink.next(result);
          if (isWatching(result) && unconfirmed.delete(subscription)) settle();
        },
        error(error) {
          forget();
          sink.error(error);
        },
        complete() {
          forget();
          sink.complete();
        },
      },
    };
  }

  function reconnected(): void {
    for (const subscription of active) unconfirmed.add(subscription);
    if (active.size > 0) awaitConfirmations();
  }

  return {
    exchange,
    refetchAll,
    attach: (target) => {
      client = target;
    },
    track,
    reconnected,
  };
}

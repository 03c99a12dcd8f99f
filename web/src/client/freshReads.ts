// A read that was on its way when a subscription said something may have been made before what it says: it is read
// again once it lands.
//
// urql's Client sends a query at most once at a time: while a query's request is in flight, re-running it (graphcache
// re-running what a subscription's event made stale, the catch-up's re-read on `Watching`, ./catchUp.ts) is dropped,
// and the answer in flight is taken as current. That answer may have been read before the event's commit, or before
// the server's watch was in force — then the screen keeps it: the bell read «непрочитанных нет» after a bid's
// notification had arrived (web/tests/notifications.e2e.ts failed so, once in a CI run and 1 in 12 on a loaded
// machine). So this exchange, just above the network, keeps the queries whose request is in flight; when a
// subscription's result comes (an event, or `Watching`), each of them is marked, and a marked one is run again from
// the network as soon as its answer is in — that second read is made after the event, so it has it.
import type { Client, Exchange, Operation } from "urql";
import { makeOperation } from "urql";
import { pipe, tap } from "wonka";

export interface FreshReads {
  exchange: Exchange;
  /** The client whose queries are read again. */
  attach: (client: Client) => void;
}

export function freshReads(): FreshReads {
  // Queries whose request is in flight, by operation key; `true` once a subscription spoke while it was.
  const inFlight = new Map<number, { operation: Operation; stale: boolean }>();
  let client: Client | null = null;

  function readAgain(operation: Operation): void {
    if (!client) return;
    const target = client;
    // After the answer has reached the screen (and the Client has let the key go), not while it is on its way up.
    queueMicrotask(() =>
      target.reexecuteOperation(makeOperation("query", operation, { ...operation.context, requestPolicy: "network-only" })),
    );
  }

  const exchange: Exchange =
    ({ forward }) =>
    (operations$) => {
      const sent = pipe(
        operations$,
        tap((operation) => {
          if (operation.kind === "query") inFlight.set(operation.key, { operation, stale: false });
          else if (operation.kind === "teardown") inFlight.delete(operation.key);
        }),
      );
      return pipe(
        forward(sent),
        tap((result) => {
          const { kind, key } = result.operation;
          if (kind === "subscription") {
            for (const read of inFlight.values()) read.stale = true;
          } else if (kind === "query" && !result.hasNext) {
            const read = inFlight.get(key);
            inFlight.delete(key);
            if (read?.stale) readAgain(read.operation);
          }
        }),
      );
    };

  return {
    exchange,
    attach: (target) => {
      client = target;
    },
  };
}

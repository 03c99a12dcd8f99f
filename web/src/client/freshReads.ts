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
//
// A read held a long time hides an event from the other queries too. Graphcache (9.0.2) keeps each query's answer in
// a layer of its own, in the order the reads were sent, and squashes the layers into the cache only once every read
// sent before them has landed; a subscription's later results are written at its first result's place in that
// order. So with the count's read held, the inbox's answer that landed meanwhile (the catch-up's re-read) sits above
// the NotificationAdded event's layer: the event's invalidation of the list is hidden under it, the inbox re-run after
// the event is answered from the cache with the old, empty list, and when the held read lands the squash writes the
// old list last (the inbox showed nothing new until reloaded). So the queries answered while another read was in
// flight are kept too, and when an event comes while a read is still in flight they are run again from the network at
// once: a network read reserves the topmost layer, above the event's, and is made after it.
import type { Client, Exchange, Operation } from "urql";
import { makeOperation } from "urql";
import { pipe, tap } from "wonka";
import { isWatching } from "./catchUp";

export interface FreshReads {
  exchange: Exchange;
  /** The client whose queries are read again. */
  attach: (client: Client) => void;
}

export function freshReads(): FreshReads {
  // Queries whose request is in flight, by operation key; `true` once a subscription spoke while it was.
  const inFlight = new Map<number, { operation: Operation; stale: boolean }>();
  // Queries answered while another read was in flight (their answers wait in graphcache's layers above it); let go
  // once nothing is in flight, when graphcache has squashed them.
  const layered = new Map<number, Operation>();
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
          if (operation.kind === "query") {
            inFlight.set(operation.key, { operation, stale: false });
            layered.delete(operation.key);
          } else if (operation.kind === "teardown") {
            inFlight.delete(operation.key);
            layered.delete(operation.key);
          }
        }),
      );
      return pipe(
        forward(sent),
        tap((result) => {
          const { kind, key } = result.operation;
          if (kind === "subscription") {
            for (const read of inFlight.values()) read.stale = true;
            // `Watching` changes nothing in the cache, and the catch-up re-reads every query on it (./catchUp.ts).
            if (inFlight.size > 0 && !isWatching(result)) {
              for (const operation of layered.values()) readAgain(operation);
              layered.clear();
            }
          } else if (kind === "query" && !result.hasNext) {
            const read = inFlight.get(key);
            inFlight.delete(key);
            if (inFlight.size > 0) layered.set(key, result.operation);
            else layered.clear();
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

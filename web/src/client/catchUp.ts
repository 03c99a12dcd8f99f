// After a websocket reconnect, events that happened while the socket was away are not replayed (the server keeps
// no stream to resume): what a client can rely on is current state (README, Realtime). So the queries on screen
// are re-run from the network once the socket is back, and what a subscriber missed shows up in them.
import { type Client, type Exchange, type Operation, makeOperation } from "urql";
import { pipe, tap } from "wonka";

export interface CatchUp {
  exchange: Exchange;
  refetchAll: (client: Client) => number;
}

export function catchUp(): CatchUp {
  const live = new Map<number, Operation>();
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
  function refetchAll(client: Client): number {
    for (const operation of live.values()) {
      client.reexecuteOperation(
        makeOperation("query", operation, { ...operation.context, requestPolicy: "network-only" }),
      );
    }
    return live.size;
  }
  return { exchange, refetchAll };
}

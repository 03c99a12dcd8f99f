import { describe, expect, it } from "vitest";
import { Client, type Exchange, type Operation, gql } from "urql";
import { filter, map, merge, pipe, share } from "wonka";
import { catchUp } from "./catchUp";

// A terminating exchange that answers every query at once and records what reached it.
function recording(seen: Operation[]): Exchange {
  return () => (operations$) => {
    const shared = pipe(operations$, share);
    return merge([
      pipe(
        shared,
        filter((operation) => operation.kind === "query"),
        map((operation) => {
          seen.push(operation);
          return { operation, data: { me: null }, stale: false, hasNext: false };
        }),
      ),
    ]);
  };
}

const ME = gql`
  query Me {
    me {
      id
    }
  }
`;

describe("catchUp", () => {
  it("re-runs the live queries from the network, and forgets those no longer on screen", async () => {
    const seen: Operation[] = [];
    const { exchange, refetchAll } = catchUp();
    const client = new Client({ url: "/graphql", exchanges: [exchange, recording(seen)] });
    const watching = client.query(ME, {}).subscribe(() => undefined);

    expect(refetchAll(client)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0)); // the client dispatches re-executions on its queue
    expect(seen.map((operation) => operation.context.requestPolicy)).toEqual(["cache-first", "network-only"]);

    watching.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(refetchAll(client)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toHaveLength(2);
  });
});

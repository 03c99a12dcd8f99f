import { afterEach, describe, expect, it, vi } from "vitest";
import { Client, type Exchange, type Operation, gql } from "urql";
import { filter, map, merge, pipe, share } from "wonka";
import { catchUp, isWatching, type ResultSink } from "./catchUp";

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

  it("re-reads once every subscription sent says Watching, not when it is sent", async () => {
    const seen: Operation[] = [];
    const resync = catchUp();
    const client = new Client({ url: "/graphql", exchanges: [resync.exchange, recording(seen)] });
    resync.attach(client);
    const screen = client.query(ME, {}).subscribe(() => undefined);
    const received: unknown[] = [];
    const sink: ResultSink<{ data?: unknown }> = {
      next: (result) => received.push(result),
      error: () => undefined,
      complete: () => undefined,
    };
    const bids = resync.track(sink);
    const bell = resync.track(sink);
    const network = () => seen.filter((operation) => operation.context.requestPolicy === "network-only").length;
    const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

    await tick();
    expect(network()).toBe(0); // sent, not yet watching: a read now could miss what comes before the watch
    bids.sink.next({ data: { bidActivity: { __typename: "Watching", since: 3 } } });
    await tick();
    expect(network()).toBe(0); // the bell's subscription is not watching yet
    bell.sink.next({ data: { notificationAdded: { __typename: "Watching", since: 3 } } });
    await tick();
    expect(network()).toBe(1); // both are: one re-read
    bids.sink.next({ data: { bidActivity: { __typename: "BidActivity", kind: "PLACED" } } });
    await tick();
    expect(network()).toBe(1); // an event is not a confirmation
    expect(received).toHaveLength(3); // every result still reaches the screen's subscription

    // The socket dropped and came back: graphql-ws sends both subscriptions again; nothing is re-read until both
    // say Watching on the new connection.
    resync.reconnected();
    await tick();
    expect(network()).toBe(1);
    bell.sink.next({ data: { notificationAdded: { __typename: "Watching", since: 0 } } });
    await tick();
    expect(network()).toBe(1);
    bids.sink.next({ data: { bidActivity: { __typename: "Watching", since: 0 } } });
    await tick();
    expect(network()).toBe(2);
    screen.unsubscribe();
  });

  it("does not wait for a subscription that ended without confirming (refused, or left the screen)", async () => {
    const seen: Operation[] = [];
    const resync = catchUp();
    const client = new Client({ url: "/graphql", exchanges: [resync.exchange, recording(seen)] });
    resync.attach(client);
    const screen = client.query(ME, {}).subscribe(() => undefined);
    const quiet: ResultSink<{ data?: unknown }> = { next: () => undefined, error: () => undefined, complete: () => undefined };
    const allowed = resync.track(quiet);
    const refused = resync.track(quiet);
    const left = resync.track(quiet);
    const network = () => seen.filter((operation) => operation.context.requestPolicy === "network-only").length;
    const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

    allowed.sink.next({ data: { contractUpdated: { __typename: "Watching", since: 1 } } });
    refused.sink.next({ data: { contractUpdated: { __typename: "NotFoundError", code: "NOT_FOUND" } } });
    refused.sink.complete();
    await tick();
    expect(network()).toBe(0); // `left` is still unconfirmed
    left.forget();
    await tick();
    expect(network()).toBe(1);
    screen.unsubscribe();
  });

  it("knows a confirmation by its type name", () => {
    expect(isWatching({ data: { bidActivity: { __typename: "Watching", since: 7 } } })).toBe(true);
    expect(isWatching({ data: { bidActivity: { __typename: "BidActivity" } } })).toBe(false);
    expect(isWatching({ data: null })).toBe(false);
  });

  describe("a server that does not confirm", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("re-reads after the fallback delay, and again when the confirmation comes after all", async () => {
      vi.useFakeTimers();
      const seen: Operation[] = [];
      const resync = catchUp(5000);
      const client = new Client({ url: "/graphql", exchanges: [resync.exchange, recording(seen)] });
      resync.attach(client);
      const screen = client.query(ME, {}).subscribe(() => undefined);
      const quiet: ResultSink<{ data?: unknown }> = { next: () => undefined, error: () => undefined, complete: () => undefined };
      const bids = resync.track(quiet);
      const network = () => seen.filter((operation) => operation.context.requestPolicy === "network-only").length;

      await vi.advanceTimersByTimeAsync(4999);
      expect(network()).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(network()).toBe(1); // nothing confirmed in 5 s: read anyway, as before Watching existed
      bids.sink.next({ data: { bidActivity: { __typename: "Watching", since: 0 } } });
      await vi.advanceTimersByTimeAsync(0);
      expect(network()).toBe(2); // the watch is in force now: what fell between is in this read
      await vi.advanceTimersByTimeAsync(10_000);
      expect(network()).toBe(2); // and no timer is left behind
      screen.unsubscribe();
    });
  });
});

// The bell's count through the app's real client set-up (graphcache, the Watching catch-up, the subscription
// exchange), against a server that answers each read with its state when the read was made: a read may be made
// before a notification commits and answered after the notification's event has arrived.
import { describe, expect, it } from "vitest";
import { createExchangeClient } from "../client/urql";
import { NotificationAddedSubscription, UnreadCountQuery } from "./documents";
import { fakeServer } from "./fakeServer";

/** The server: its unread count, the reads in flight, and the subscription's socket. */
function server() {
  let unread = 0;
  const fake = fakeServer((operation) =>
    operation === "UnreadNotificationCount" ? { unreadNotificationCount: unread } : { notifications: null },
  );
  return {
    ...fake,
    hold: (on: boolean) => fake.hold(() => on),
    /** A notification commits before the server's watch: no event for it, only a read made after Watching has it. */
    commitUnheard: () => {
      unread += 1;
    },
    /** A notification commits and its event is sent to the socket. */
    notify: (id: string) => {
      unread += 1;
      fake.send({
        __typename: "Notification",
        id,
        kind: "BID_RECEIVED",
        read: false,
        title: "New bid",
        body: "",
        params: null,
      });
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function bell(transport: ReturnType<typeof server>) {
  const { client } = createExchangeClient("token", { fetch: transport.fetch, socket: transport.socket });
  const counts: (number | undefined)[] = [];
  const query = client.query(UnreadCountQuery, {}).subscribe((result) => counts.push(result.data?.unreadNotificationCount));
  const live = client.subscription(NotificationAddedSubscription, {}).subscribe(() => undefined);
  return {
    shown: () => counts.at(-1),
    stop: () => {
      query.unsubscribe();
      live.unsubscribe();
    },
  };
}

async function releaseAll(transport: ReturnType<typeof server>) {
  for (let round = 0; round < 10; round++) {
    transport.releaseAll();
    await settle();
  }
}

describe("the bell's count", () => {
  it("counts an event that arrives with nothing in flight", async () => {
    const transport = server();
    const view = bell(transport);
    await settle();
    transport.watching();
    await settle();
    expect(view.shown()).toBe(0);
    transport.notify("Tm90aWZpY2F0aW9uOjA=");
    await releaseAll(transport);
    expect(view.shown()).toBe(1);
    // The first read, the catch-up's, the one after the event: nothing read twice for nothing.
    expect(transport.made("UnreadNotificationCount")).toBe(3);
    view.stop();
  });

  it("counts an event that arrives while the first read is in flight, confirmed meanwhile", async () => {
    const transport = server();
    transport.hold(true);
    const view = bell(transport);
    await settle();
    expect(transport.made("UnreadNotificationCount")).toBe(1); // the first read, not answered yet
    transport.watching(); // the watch is in force: the catch-up re-read
    await settle();
    transport.notify("Tm90aWZpY2F0aW9uOjE="); // a bid commits; its event arrives before any answer
    await settle();
    await releaseAll(transport);
    expect(view.shown()).toBe(1);
    expect(transport.answered.at(-1)).toBe('UnreadNotificationCount={"unreadNotificationCount":1}');
    view.stop();
  });

  it("re-reads after Watching even when the first read is still in flight (the catch-up is not dropped)", async () => {
    const transport = server();
    transport.hold(true);
    const view = bell(transport);
    await settle();
    transport.commitUnheard(); // after the first read, before the watch: in neither the read nor the stream
    transport.watching();
    await settle();
    await releaseAll(transport);
    expect(view.shown()).toBe(1);
    expect(transport.made("UnreadNotificationCount")).toBe(2);
    view.stop();
  });

  it("counts an event that arrives while the catch-up's read is in flight", async () => {
    const transport = server();
    const view = bell(transport);
    await settle();
    expect(view.shown()).toBe(0);
    transport.hold(true);
    transport.watching();
    await settle();
    transport.notify("Tm90aWZpY2F0aW9uOjI=");
    await settle();
    await releaseAll(transport);
    expect(view.shown()).toBe(1);
    view.stop();
  });
});

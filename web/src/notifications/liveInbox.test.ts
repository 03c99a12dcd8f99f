// The inbox's list through the app's real client set-up (graphcache, the Watching catch-up, the subscription
// exchange, freshReads), while the bell's count read is held a long time: a NotificationAdded event that arrives
// meanwhile must bring the new notification into the list, although another read is still on its way.
import { describe, expect, it } from "vitest";
import { createExchangeClient } from "../client/urql";
import { NotificationAddedSubscription, NotificationsQuery, UnreadCountQuery } from "./documents";
import { fakeServer } from "./fakeServer";

const node = (id: string) => ({
  __typename: "Notification",
  id,
  kind: "BID_RECEIVED",
  subjectId: "QmlkOjE=",
  createdAt: "2026-12-06T09:00:00+00:00",
  read: false,
  readAt: null,
  title: "New bid",
  body: "",
  params: null,
});

/** The server: its notifications, the reads in flight (the count's held while `holdCount`), the socket. */
function server() {
  const notifications: string[] = [];
  const fake = fakeServer((operation) => {
    const ids = [...notifications].reverse();
    return operation === "UnreadNotificationCount"
      ? { unreadNotificationCount: ids.length }
      : {
          notifications: {
            __typename: "NotificationConnection",
            pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: ids.at(-1) ?? null },
            edges: ids.map((id) => ({ __typename: "NotificationEdge", cursor: id, node: node(id) })),
          },
        };
  });
  return {
    ...fake,
    holdCount: (on: boolean) => fake.hold((operation) => on && operation === "UnreadNotificationCount"),
    /** A notification commits and its event is sent to the socket. */
    notify: (id: string) => {
      notifications.push(id);
      const { subjectId: _subject, createdAt: _created, readAt: _readAt, ...sent } = node(id);
      fake.send(sent);
    },
  };
}

const settle = async (rounds = 5) => {
  for (let round = 0; round < rounds; round++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** The inbox page as NotificationsPage mounts it: the bell's count, the first page of the list, the live feed. */
function inbox(transport: ReturnType<typeof server>) {
  const { client } = createExchangeClient("token", { fetch: transport.fetch, socket: transport.socket });
  const lists: (string[] | undefined)[] = [];
  const counts: (number | undefined)[] = [];
  const count = client.query(UnreadCountQuery, {}).subscribe((result) => counts.push(result.data?.unreadNotificationCount));
  const list = client
    .query(NotificationsQuery, { unreadOnly: false, first: 20, after: null })
    .subscribe((result) => lists.push(result.data?.notifications.edges.map((edge) => edge.node.id)));
  const live = client.subscription(NotificationAddedSubscription, {}).subscribe(() => undefined);
  return {
    shown: () => lists.at(-1),
    count: () => counts.at(-1),
    stop: () => {
      count.unsubscribe();
      list.unsubscribe();
      live.unsubscribe();
    },
  };
}

describe("the inbox under a long-held read", () => {
  it("shows a notification whose event arrives while the catch-up's count read is held, before that read lands", async () => {
    const transport = server();
    const view = inbox(transport);
    await settle();
    expect(view.shown()).toEqual([]);
    expect(view.count()).toBe(0);
    transport.holdCount(true);
    transport.watching(); // the catch-up's re-read of the count is made now, and held
    await settle();
    expect(transport.made("UnreadNotificationCount")).toBe(2);

    transport.notify("Tm90aWZpY2F0aW9uOjE=");
    await settle(20);

    // The count's answer is still held; the list, read again after the event, has the new notification.
    expect(view.shown()).toEqual(["Tm90aWZpY2F0aW9uOjE="]);
    transport.releaseAll();
    await settle(20);
    expect(view.count()).toBe(1);
    expect(view.shown()).toEqual(["Tm90aWZpY2F0aW9uOjE="]);
    view.stop();
  });

  it("shows a notification whose event arrives while the first count read is held", async () => {
    const transport = server();
    transport.holdCount(true);
    const view = inbox(transport);
    await settle();
    transport.watching();
    await settle();
    expect(view.shown()).toEqual([]);

    transport.notify("Tm90aWZpY2F0aW9uOjI=");
    await settle(20);

    expect(view.shown()).toEqual(["Tm90aWZpY2F0aW9uOjI="]);
    transport.releaseAll();
    await settle(20);
    expect(view.count()).toBe(1);
    expect(view.shown()).toEqual(["Tm90aWZpY2F0aW9uOjI="]);
    view.stop();
  });
});

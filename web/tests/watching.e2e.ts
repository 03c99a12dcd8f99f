// The window between a screen's read and the server's watch, in a real browser against the real server: the order
// page's bidActivity `subscribe` is held on its way to the server (as if the server took long to start watching)
// while a bid is committed. The bid is then in neither the page's first read nor the stream; it shows because the
// page re-reads once the server says Watching (src/client/catchUp.ts). The same after the socket drops and
// graphql-ws reconnects and subscribes again.
import type { WebSocketRoute } from "@playwright/test";
import { expect, pageSignedIn, screenshot, test } from "./support/fixtures";
import { type Account, type Api, signUp, unique } from "./support/api";
import { createOrder } from "./support/bidding";
import { manufacturerWithProfile } from "./support/manufacturers";

const PLACE_BID = `mutation($input: PlaceBidInput!) {
  placeBid(input: $input) { __typename ... on BidSuccess { bid { id } } ... on UserError { message field } }
}`;

async function bid(api: Api, maker: Account, orderId: string, unitPrice: string): Promise<void> {
  const data = await api.as(maker.token).gql(PLACE_BID, {
    input: {
      orderId,
      terms: {
        unitPrice: { amount: unitPrice, currency: "RUB" },
        leadTimeDays: 30,
        validUntil: new Date(Date.now() + 40 * 24 * 3600 * 1000).toISOString().slice(0, 10),
      },
    },
  });
  expect(data.placeBid.__typename).toBe("BidSuccess");
}

test("a bid committed before the server watches the order still shows: the page re-reads on Watching", async ({
  browser,
  api,
}) => {
  test.setTimeout(120_000);
  const buyer = await signUp(api, { kind: "BUYER", name: `ООО «${unique("Заказчик ")}»` });
  const title = `${unique("Втулка")} бронзовая, 200 шт.`;
  const orderId = await createOrder(api, buyer, { title });
  const early = await manufacturerWithProfile(api, { name: unique("Уралфрез ") });
  const late = await manufacturerWithProfile(api, { name: unique("Сибмаш "), region: "RU-NVS" });

  const page = await pageSignedIn(browser, buyer.token);
  // Between the page and the server: while `holding`, bidActivity's subscribe waits here instead of reaching the server.
  let holding = true;
  const held: { server: WebSocketRoute; message: string }[] = [];
  const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    const server = ws.connectToServer();
    sockets.push({ page: ws, server });
    ws.onMessage((message) => {
      if (holding && typeof message === "string" && message.includes('"subscribe"') && message.includes("bidActivity")) {
        held.push({ server, message });
        return;
      }
      server.send(message);
    });
  });
  const release = () => {
    holding = false;
    for (const { server, message } of held.splice(0)) server.send(message);
  };
  const ranked = page.locator(".ranked-list");
  // The bids panel's own announcement of a streamed bid (the header's bell, in the banner, announces the buyer's
  // notification «Новое предложение по заказу …» either way).
  const streamed = page.getByRole("main").getByRole("status").filter({ hasText: "Новое предложение" });

  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("Предложений пока нет.")).toBeVisible(); // the page's read, made before the watch
  await expect.poll(() => held.length).toBe(1); // sent; the server is not watching yet
  await bid(api, early, orderId, "1500.00"); // committed in the window: no watch hears it
  release();
  // The server says Watching; the page re-reads and the bid is there. It came by the re-read, not as an event:
  // the page announces events ("Новое предложение: …"), and there is none.
  await expect(ranked).toContainText(early.organisationName);
  await expect(streamed).toHaveCount(0);
  await screenshot(page, "watching-01-bid-from-the-re-read");

  // The socket drops (as when an API process restarts); graphql-ws reconnects and subscribes again. A bid committed
  // before the new watch is in place shows the same way.
  holding = true;
  // Both ends: the server's end of the old socket must not keep watching the order for the page.
  await sockets[0].server.close({ code: 1000, reason: "gone" });
  await sockets[0].page.close({ code: 1013, reason: "Try again later" });
  await expect.poll(() => held.length, { timeout: 20_000 }).toBe(1);
  expect(sockets).toHaveLength(2);
  await bid(api, late, orderId, "1900.00");
  release();
  await expect(page.locator(".ranked-list > li")).toHaveCount(2);
  await expect(ranked).toContainText(late.organisationName);
  await expect(streamed).toHaveCount(0);
  await screenshot(page, "watching-02-bid-from-the-re-read-after-reconnect");
});

// Journey 7: the bell counts new notifications live (another person's action, no reload), the inbox shows
// them and opening one marks it read; e-mail settings; saved searches listed, opened on the board, deleted.
import type { Page } from "@playwright/test";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { signUp, unique } from "./support/api";
import { manufacturerWithProfile } from "./support/manufacturers";
import { placeBid, publishOrder } from "./support/maker";

/** A mark on the window: still there later means the page was not reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { e2eSamePage: boolean }).e2eSamePage = true));
}

async function expectSamePage(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { e2eSamePage?: boolean }).e2eSamePage)).toBe(true);
}

test("a buyer's new order matches the manufacturer's saved search: the bell counts it live, the inbox shows it", async ({
  browser,
  api,
}) => {
  const tag = unique("Кронштейн");
  const maker = await manufacturerWithProfile(api, { name: `ООО «${unique("Ижмаш ")}»` });
  const page = await pageSignedIn(browser, maker.token);

  // The manufacturer saves a search for the orders it wants to hear about.
  await page.goto("/saved-searches");
  await expect(page.getByRole("heading", { level: 1, name: "Сохранённые поиски" })).toBeVisible();
  await expect(page.getByText("Сохранённых поисков пока нет.")).toBeVisible();
  await page.getByLabel("Название поиска").fill(`Фрезерование ${tag}`);
  await page.getByLabel("Что ищем").fill(tag);
  await page.locator("summary", { hasText: "Технологии" }).click();
  await page.getByLabel("Фрезерование с ЧПУ").check();
  await page.getByLabel("Регион доставки").selectOption("RU-MOW");
  await page.getByRole("button", { name: "Сохранить поиск" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Поиск «Фрезерование ${tag}» сохранён.` })).toBeVisible();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: `Фрезерование ${tag}` }) });
  await expect(card).toContainText(`Текст: «${tag}»`);
  await expect(card.getByRole("list")).toContainText("Фрезерование с ЧПУ");
  await expect(card.getByRole("list")).toContainText("Москва");
  const open = card.getByRole("link", { name: `Открыть на доске заказов: Фрезерование ${tag}` });
  const href = new URL((await open.getAttribute("href"))!, "http://x");
  expect(href.pathname).toBe("/orders");
  expect(href.searchParams.get("q")).toBe(tag);
  expect(href.searchParams.getAll("process")).toEqual(["CNC_MILLING"]);
  expect(href.searchParams.getAll("region")).toEqual(["RU-MOW"]);
  await screenshot(page, "07-saved-searches");
  await expectAccessible(page);

  const bell = page.getByRole("banner").getByRole("link", { name: /^Уведомления/ });
  await expect(bell).toHaveAccessibleName("Уведомления: непрочитанных нет");
  await markPage(page);

  // In another browser, a buyer publishes an order that the search matches.
  const buyer = await signUp(api, { kind: "BUYER" });
  const buyerPage = await pageSignedIn(browser, buyer.token);
  await buyerPage.goto(`/company/${buyer.organisationId}`);
  await expect(buyerPage.getByRole("heading", { level: 1, name: buyer.organisationName })).toBeVisible();
  const firstTitle = `${tag} фрезерованный, партия 1`;
  const firstOrder = await publishOrder(api, buyer, { title: firstTitle });

  // The manufacturer's bell counts it without a reload (the worker matches the order within seconds).
  await expect(bell).toHaveAccessibleName("Уведомления: 1 непрочитанное", { timeout: 30_000 });
  await expect(bell.locator(".bell-count")).toHaveText("1");
  // The live announcement is worded from the params the subscription delivers, in Russian too.
  await expect(page.getByRole("status").filter({ hasText: "Новое уведомление:" })).toHaveText(
    `Новое уведомление: Новый заказ по поиску «Фрезерование ${tag}»: ${firstTitle}`,
  );
  await expectSamePage(page);
  await screenshot(page, "07-bell-counted");

  await bell.click();
  await expect(page.getByRole("heading", { level: 1, name: "Уведомления" })).toBeVisible();
  const first = page.getByRole("article").filter({ hasText: firstTitle });
  await expect(first).toContainText("Подходящий заказ");
  await expect(first.getByText("Новое", { exact: true })).toBeVisible();
  await expect(first.getByRole("link", { name: new RegExp(firstTitle) })).toHaveAttribute(
    "href",
    `/orders/${encodeURIComponent(firstOrder)}`,
  );

  // The inbox takes a new one live too.
  const secondTitle = `${tag} фрезерованный, партия 2`;
  await publishOrder(api, buyer, { title: secondTitle });
  const second = page.getByRole("article").filter({ hasText: secondTitle });
  await expect(second).toBeVisible({ timeout: 30_000 });
  await expect(bell).toHaveAccessibleName("Уведомления: 2 непрочитанных");
  await expect(page.getByRole("article").first()).toContainText(secondTitle);
  // Worded in Russian from the notification's params: the search's name, the region by name, the quantity
  // grouped and the deadline as 25.03.2026, 14:00 — no English, no ISO instants, no region codes.
  await expect(first.getByRole("heading")).toHaveText(`Новый заказ по поиску «Фрезерование ${tag}»: ${firstTitle}`);
  await expect(first).toContainText(/500 шт\., Алюминий Д16Т, доставка: Москва; приём предложений до \d\d\.\d\d\.\d{4}, \d\d:\d\d\./);
  const inboxText = (await page.getByRole("list", { name: "Уведомления" }).innerText()).replaceAll(tag, "");
  expect(inboxText).not.toMatch(/\d{4}-\d\d-\d\dT|RU-[A-Z]{2,3}\b|New order|bidding closes|delivery to/);
  await expectSamePage(page);
  await screenshot(page, "07-inbox");
  await expectAccessible(page);

  // Opening one goes to its order and marks it read.
  await first.getByRole("link", { name: new RegExp(firstTitle) }).click();
  await expect(page).toHaveURL(`/orders/${encodeURIComponent(firstOrder)}`);
  await expect(bell).toHaveAccessibleName("Уведомления: 1 непрочитанное");
  await bell.click();
  await expect(first.getByText("Новое", { exact: true })).toHaveCount(0);
  await expect(second.getByText("Новое", { exact: true })).toBeVisible();

  // Unread only, then everything read.
  await page.getByRole("link", { name: "Непрочитанные" }).click();
  await expect(page).toHaveURL(/unread=1/);
  await expect(second).toBeVisible();
  await expect(first).toHaveCount(0);
  await page.getByRole("button", { name: "Отметить все как прочитанные" }).click();
  await expect(page.getByText("Непрочитанных уведомлений нет.")).toBeVisible();
  await expect(bell).toHaveAccessibleName("Уведомления: непрочитанных нет");

  // The saved search is deleted: no more notices for it.
  await page.getByRole("link", { name: "Сохранённые поиски" }).click();
  await page.getByRole("button", { name: `Удалить поиск «Фрезерование ${tag}»` }).click();
  await expect(page.getByRole("status").filter({ hasText: `Поиск «Фрезерование ${tag}» удалён.` })).toBeVisible();
  await expect(page.getByText("Сохранённых поисков пока нет.")).toBeVisible();
  await buyerPage.context().close();
  await page.context().close();
});

test("a bid placed in another browser counts on the buyer's bell and links to its order", async ({ browser, api }) => {
  const maker = await manufacturerWithProfile(api, { name: `ООО «${unique("Камский ")}»` });
  const buyer = await signUp(api, { kind: "BUYER" });
  const title = `Фланец ${unique("")}`;
  const orderId = await publishOrder(api, buyer, { title, material: "Сталь 40Х" });
  const page = await pageSignedIn(browser, buyer.token);
  await page.goto("/notifications");
  await expect(page.getByText("Уведомлений пока нет.")).toBeVisible();
  await markPage(page);

  const makerPage = await pageSignedIn(browser, maker.token);
  await makerPage.goto("/profile");
  await expect(makerPage.getByRole("heading", { level: 1, name: "Профиль производства" })).toBeVisible();
  await placeBid(api, maker, orderId);

  const bell = page.getByRole("banner").getByRole("link", { name: /^Уведомления/ });
  await expect(bell).toHaveAccessibleName("Уведомления: 1 непрочитанное");
  const notice = page.getByRole("article").filter({ hasText: `Новое предложение по заказу «${title}»` });
  await expect(notice).toContainText("Новое предложение");
  await expect(notice).toContainText(/₽, срок изготовления — \d+ (день|дня|дней)\./);
  await screenshot(page, "07-inbox-bid");
  // A bid is shown on its order's page.
  await expect(notice.getByRole("link")).toHaveAttribute("href", new RegExp(`^/orders/${encodeURIComponent(orderId)}#bid-`));
  await expectSamePage(page);

  // In English too.
  await page.getByRole("combobox", { name: "Язык" }).selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const bellEn = page.getByRole("banner").getByRole("link", { name: /^Notifications/ });
  await expect(bellEn).toHaveAccessibleName("Notifications: 1 unread");
  const noticeEn = page.getByRole("article").filter({ hasText: `New bid on “${title}”` });
  await expect(noticeEn).toContainText(/RUB\s[\d,]+, lead time \d+ days?\./);
  await screenshot(page, "07-inbox-en");
  await expectAccessible(page);
  await noticeEn.getByRole("button", { name: /Mark as read/ }).click();
  await expect(noticeEn.getByText("New", { exact: true })).toHaveCount(0);
  await expect(bellEn).toHaveAccessibleName("Notifications: none unread");
  await makerPage.context().close();
  await page.context().close();
});

test("the bell counts a bid whose event arrives while its count read is still on the way", async ({ browser, api }) => {
  // The race a CI run once lost: the bell's read of the count is made before the bid commits but answered after the
  // bid's event has arrived (here forced: the answers are held in the browser). urql sends a query once at a time and
  // graphcache laid the event's invalidation over that answer, so the bell kept «непрочитанных нет»; the client now
  // reads again what was in flight when the subscription spoke (src/client/freshReads.ts).
  const maker = await manufacturerWithProfile(api, { name: `ООО «${unique("Уральский ")}»` });
  const buyer = await signUp(api, { kind: "BUYER" });
  const title = `Втулка ${unique("")}`;
  const orderId = await publishOrder(api, buyer, { title, material: "Бронза БрАЖ9-4" });
  const page = await pageSignedIn(browser, buyer.token);
  let holding = true;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const held: string[] = [];
  await page.route("**/graphql", async (route) => {
    const body = route.request().postDataJSON() as { operationName?: string } | null;
    if (!holding || body?.operationName !== "UnreadNotificationCount") return route.fallback();
    const response = await route.fetch(); // read by the server now, before the bid
    held.push(await response.text());
    await released;
    await route.fulfill({ response });
  });
  let eventArrived: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (eventArrived = resolve));
  page.on("websocket", (socket) =>
    socket.on("framereceived", (frame) => {
      if (String(frame.payload).includes('"__typename":"NotificationAdded"')) eventArrived();
    }),
  );
  // The inbox's reads that have landed: the first, and the catch-up's once the subscription said Watching. Both land
  // while the count's read is held, so graphcache keeps them in a layer above the held one — where an event that
  // comes next was hidden (the inbox stayed empty; src/notifications/liveInbox.test.ts).
  let inboxAnswers = 0;
  page.on("response", (response) => {
    const body = response.request().postDataJSON() as { operationName?: string } | null;
    if (body?.operationName === "Notifications") inboxAnswers += 1;
  });
  await page.goto("/notifications");
  await expect(page.getByText("Уведомлений пока нет.")).toBeVisible();
  await expect.poll(() => held.length).toBeGreaterThan(0);
  await expect.poll(() => inboxAnswers).toBeGreaterThanOrEqual(2);

  await placeBid(api, maker, orderId);
  // The bid's event has reached the page, while every count read made so far said 0 and is still held.
  await arrived;
  // The inbox (not held) shows the bid while the count's read is still held: its answer that landed before the
  // event no longer hides the event from it (src/client/freshReads.ts, src/notifications/liveInbox.test.ts).
  await expect(page.getByRole("article").filter({ hasText: `Новое предложение по заказу «${title}»` })).toBeVisible();
  await screenshot(page, "07-inbox-while-count-held");
  expect(held.every((text) => text.includes('"unreadNotificationCount":0'))).toBe(true);
  holding = false;
  release();

  const bell = page.getByRole("banner").getByRole("link", { name: /^Уведомления/ });
  await expect(bell).toHaveAccessibleName("Уведомления: 1 непрочитанное");
  await expect(bell.locator(".bell-count")).toHaveText("1");
  await screenshot(page, "07-bell-after-held-read");
  await page.context().close();
});

test("notification e-mails are switched off and on per kind", async ({ browser, api }) => {
  const buyer = await signUp(api, { kind: "BUYER" });
  const page = await pageSignedIn(browser, buyer.token);
  await page.goto("/notifications");
  await page.getByRole("link", { name: "Настройки уведомлений" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Настройки уведомлений" })).toBeVisible();
  await expect(page.locator("#notification-settings-hint")).toContainText(buyer.email);
  const matched = page.getByLabel("Подходящий заказ");
  await expect(matched).toBeChecked();
  await matched.uncheck();
  await expect(page.getByRole("status").filter({ hasText: "Настройка сохранена." })).toBeVisible();
  await screenshot(page, "07-notification-settings");
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByLabel("Подходящий заказ")).not.toBeChecked();
  await expect(page.getByLabel("Новое предложение")).toBeChecked();
  await page.context().close();
});

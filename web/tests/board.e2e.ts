// Journey 5, the manufacturer's side: search the board (highlights, facets, the certificate filter in the URL),
// recommended orders with the fit explained, and a bid for part of a split order that it then withdraws.
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { signUp, unique } from "./support/api";
import { addCapacity, createOrder, waitForOrderSearch } from "./support/bidding";
import { manufacturerWithProfile } from "./support/manufacturers";

test("a manufacturer searches open orders, narrows them by certificate and sees the orders that fit it", async ({
  browser,
  api,
}) => {
  const word = unique("Кронштейнус");
  const buyer = await signUp(api, { kind: "BUYER" });
  const aero = `${word} авиационный`;
  const plain = `${word} станочный`;
  await createOrder(api, buyer, { title: aero, region: "RU-NEN", certifications: ["ISO_9001", "AS9100"], deadlineInDays: 2 });
  await createOrder(api, buyer, { title: plain, region: "RU-NEN", certifications: ["ISO_9001"], deadlineInDays: 2 });
  const maker = await manufacturerWithProfile(api, { name: unique("Нарьянмаш "), region: "RU-NEN" });
  await addCapacity(api, maker);
  await waitForOrderSearch(api, maker.token, word, 2);

  const page = await pageSignedIn(browser, maker.token);
  await page.goto("/orders");
  await page.getByLabel("Поиск по заказам").fill(word);
  await page.getByRole("button", { name: "Найти" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(word)}`));
  await expect(page.getByRole("status").filter({ hasText: "Найдено 2 заказа" })).toBeVisible();
  await expect(page.getByRole("link", { name: aero })).toBeVisible();
  await expect(page.getByRole("link", { name: plain })).toBeVisible();
  await expect(page.locator(".snippet mark").first()).toHaveText(new RegExp(word.slice(0, 8), "i"));
  await expect(page.getByLabel("Сортировка")).toBeDisabled();
  await screenshot(page, "05-board-search");
  await expectAccessible(page);

  // The certificate filter lives in the URL: back returns to the wider search.
  await page.locator("summary", { hasText: "Требуемые сертификаты" }).click();
  await page.getByRole("checkbox", { name: "AS9100" }).click();
  await expect(page).toHaveURL(/cert=AS9100/);
  await expect(page.getByRole("status").filter({ hasText: "Найден 1 заказ" })).toBeVisible();
  await expect(page.getByRole("link", { name: plain })).toHaveCount(0);
  await expect(page.getByRole("link", { name: aero })).toBeVisible();
  await page.goBack();
  await expect(page).not.toHaveURL(/cert=/);
  await expect(page.getByRole("link", { name: plain })).toBeVisible();

  // Recommended: the order it can make (it holds no AS9100), with why it fits.
  await page.getByRole("link", { name: "Подходящие мне" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Подходящие мне заказы" })).toBeVisible();
  const card = page.locator(".order-card").filter({ hasText: plain });
  await expect(card).toBeVisible();
  await expect(page.getByRole("link", { name: aero })).toHaveCount(0);
  await card.locator("summary").click();
  await expect(card.getByText(/^Регион: \d+ из 100, вес/)).toBeVisible();
  await screenshot(page, "05-recommended");
  await expectAccessible(page);

  await page.getByRole("combobox", { name: "Язык" }).selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Orders that fit me" })).toBeVisible();
  await expect(card.getByText(/^Region: \d+ of 100, weight/)).toBeVisible();
  await screenshot(page, "05-recommended-en");
  await page.context().close();
});

test("a manufacturer quotes for part of a split order, follows the bid's link and withdraws it", async ({
  browser,
  api,
}) => {
  const buyer = await signUp(api, { kind: "BUYER" });
  const title = `${unique("Втулка ")} 400 шт., можно частями`;
  const orderId = await createOrder(api, buyer, { title, quantity: 400, allowSplit: true });
  const maker = await manufacturerWithProfile(api, { name: unique("Частичный ") });

  const page = await pageSignedIn(browser, maker.token);
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByText("Можно разделить между несколькими исполнителями")).toBeVisible();
  await page.getByLabel("Цена за единицу, ₽").fill("250,50");
  await page.getByLabel("Количество, шт.").fill("150");
  await page.getByLabel("Срок изготовления, дней").fill("10");
  await page.getByRole("button", { name: "Отправить предложение" }).click();
  await expect(page.getByText("Предложение отправлено.")).toBeVisible();
  const bid = page.locator(".bid-card").first();
  await expect(bid.locator(".bid-total")).toHaveText(/^37\s575\s₽$/);
  await expect(bid).toContainText(/250,50\s₽ × 150 шт\. \+ оснастка 0\s₽/);
  await screenshot(page, "05-split-bid");
  await expectAccessible(page);

  // The bid's own link (as in a notification) brings the same page with the bid in view.
  await page.goto("/my/bids");
  const href = await page.getByRole("link", { name: title }).getAttribute("href");
  const bidId = decodeURIComponent(href!.split("bid=")[1]!);
  await page.goto(`/bids/${encodeURIComponent(bidId)}`);
  await expect(page).toHaveURL(new RegExp(`/orders/${orderId.replace(/[=+/]/g, ".")}\\?bid=`));
  await expect(page.locator(".bid-highlighted")).toContainText("Действует");

  page.once("dialog", (dialog) => void dialog.accept());
  await page.locator(".bid-highlighted").getByRole("button", { name: "Отозвать" }).click();
  await expect(page.getByText("Предложение отозвано.")).toBeVisible();
  await expect(page.locator(".bid-card").first()).toContainText("Отозвано");
  await expect(page.getByRole("button", { name: "Отозвать" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Новое предложение" })).toBeVisible();
  await page.context().close();
});

// Journey 3: a buyer writes an order with the guided form (a refused step included), saves it as a draft,
// finds it in My orders, edits and publishes it; another order is cancelled.
import type { Page } from "@playwright/test";
import { Api, legalId, signUp, unique } from "./support/api";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";

const day = 24 * 3600 * 1000;

/** As an <input type="datetime-local"> takes it. */
function localDateTime(offsetMs: number): string {
  const date = new Date(Date.now() + offsetMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function isoDate(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString().slice(0, 10);
}

async function secondBuyerOrganisation(api: Api, name: string): Promise<string> {
  const data = await api.gql(
    `mutation($input: OrganisationInput!) {
      createOrganisation(input: $input) { __typename ... on OrganisationSuccess { organisation { id } } ... on UserError { message } }
    }`,
    { input: { name, legalId: legalId(), region: "RU-SPE", kind: "BUYER" } },
  );
  if (data.createOrganisation.__typename !== "OrganisationSuccess") throw new Error(JSON.stringify(data));
  return data.createOrganisation.organisation.id;
}

export async function draftOrder(api: Api, title: string, organisationId?: string): Promise<string> {
  const data = await api.gql(
    `mutation($input: CreateOrderInput!) {
      createOrder(input: $input) { __typename ... on OrderSuccess { order { id } } ... on UserError { message field } }
    }`,
    {
      input: {
        organisationId: organisationId ?? null,
        title,
        process: "CNC_TURNING",
        material: "Сталь 40Х",
        quantity: 200,
        needBy: isoDate(40 * day),
        deliveryRegion: "RU-MOW",
        budgetMin: { amount: "100000", currency: "RUB" },
        budgetMax: { amount: "200000", currency: "RUB" },
        biddingDeadline: new Date(Date.now() + 14 * day).toISOString(),
      },
    },
  );
  if (data.createOrder.__typename !== "OrderSuccess") throw new Error(JSON.stringify(data));
  return data.createOrder.order.id;
}

async function continueTo(page: Page, heading: string) {
  await page.getByRole("button", { name: "Продолжить" }).click();
  await expect(page.getByRole("heading", { level: 2, name: heading })).toBeVisible();
}

test("a buyer writes an order step by step, is refused once, saves a draft, edits and publishes it", async ({
  browser,
  api,
}) => {
  const buyer = await signUp(api, { kind: "BUYER", fullName: "Ирина Закупова" });
  const branch = `ООО «${unique("Филиал ")}»`;
  await secondBuyerOrganisation(api.as(buyer.token), branch);
  const title = unique("Корпус редуктора ");
  const page = await pageSignedIn(browser, buyer.token);

  await page.goto("/my/orders");
  await expect(page.getByRole("heading", { level: 1, name: "Мои заказы" })).toBeVisible();
  await expect(page.getByText("Вы ещё не разместили ни одного заказа.")).toBeVisible();
  await page.getByRole("link", { name: "Новый заказ" }).click();

  // Step 1: what. A person with two buying companies says which one the order is for.
  await expect(page.getByRole("heading", { level: 1, name: "Новый заказ" })).toBeVisible();
  await expect(page.getByText("Шаг 1 из 4")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Что изготовить" })).toBeVisible();
  await page.getByRole("radio", { name: branch }).check();
  await page.getByLabel("Название заказа").fill(title);
  await page.getByLabel("Технология").selectOption("CNC_MILLING");
  await page.getByLabel("Материал").fill("Алюминий Д16Т");
  await page.getByLabel("Количество, шт.").fill("500");
  await page.getByLabel("Трудоёмкость, машино-часов").fill("120");
  await page.getByLabel("Класс точности").selectOption("FINE");
  await page.getByLabel("Описание").fill("Анодирование, упаковка в ячейки.");
  await screenshot(page, "03-order-step-what");
  await expectAccessible(page);
  await continueTo(page, "Требования");

  // Step 2: requirements.
  await expect(page.getByText("Шаг 2 из 4")).toBeVisible();
  await page.getByRole("checkbox", { name: "ISO 9001", exact: true }).check();
  await page.getByLabel("Нужно получить к").fill(isoDate(30 * day));
  await page.getByLabel("Регион доставки").selectOption("RU-SVE");
  await continueTo(page, "Условия приёма предложений");

  // Step 3: bidding, with a deadline that has already passed.
  await page.getByLabel("Приём предложений до").fill("2020-01-10T12:00");
  await page.getByLabel("Бюджет от, ₽").fill("300 000");
  // Typed key by key, the digits group as they come, and the caret stays with its digit: a 2 typed after the first
  // digit and deleted again, and a Backspace just after a group space (it deletes the digit before the space).
  const budgetMax = page.getByLabel("Бюджет до, ₽");
  await budgetMax.pressSequentially("15000");
  await expect(budgetMax).toHaveValue("15\u00a0000");
  await budgetMax.press("End");
  await budgetMax.press("0");
  await expect(budgetMax).toHaveValue("150\u00a0000");
  await budgetMax.press("Home");
  await budgetMax.press("ArrowRight");
  await budgetMax.press("2");
  await expect(budgetMax).toHaveValue("1\u00a0250\u00a0000");
  await budgetMax.press("Backspace");
  await expect(budgetMax).toHaveValue("150\u00a0000");
  await budgetMax.press("Home");
  for (let step = 0; step < 4; step += 1) await budgetMax.press("ArrowRight");
  await budgetMax.press("Backspace");
  await expect(budgetMax).toHaveValue("15\u00a0000");
  await budgetMax.press("0");
  await expect(budgetMax).toHaveValue("150\u00a0000");
  await page.getByRole("radio", { name: "Открытый" }).check();
  await page.getByRole("checkbox", { name: "Можно отдать заказ по частям нескольким производителям" }).check();
  await screenshot(page, "03-order-step-bidding");
  await expectAccessible(page);
  await continueTo(page, "Проверьте заказ");

  // Check your answers.
  const summary = page.locator(".summary-list");
  await expect(summary).toContainText(branch);
  await expect(summary).toContainText(title);
  await expect(summary).toContainText("Фрезерование с ЧПУ");
  await expect(summary).toContainText("500 шт.");
  await expect(summary).toContainText("120 маш.-ч");
  await expect(summary).toContainText("Точный (f)");
  await expect(summary).toContainText("ISO 9001");
  await expect(summary).toContainText("Свердловская область");
  await expect(summary).toContainText("300 000 ₽");
  await expect(summary).toContainText("можно по частям");
  await screenshot(page, "03-order-check");
  await expectAccessible(page);

  // The API refuses the past deadline: back to the bidding step, the error at its field and summarised.
  await page.getByRole("button", { name: "Сохранить черновик" }).click();
  await expect(page).toHaveURL(/step=bidding/);
  await expect(page.getByRole("heading", { level: 2, name: "Условия приёма предложений" })).toBeVisible();
  const errors = page.getByRole("alert").filter({ hasText: "Исправьте ошибки" });
  await expect(errors).toContainText("Эта дата уже прошла");
  const deadlineField = page.locator(".field-error").filter({ hasText: "Приём предложений до" });
  await expect(deadlineField).toContainText("Эта дата уже прошла");
  await expect(page.getByLabel("Приём предложений до")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("есть ошибка")).toBeVisible();
  // The other answers are kept.
  await expect(page.getByLabel("Бюджет от, ₽")).toHaveValue("300\u00a0000");
  await expect(page.getByLabel("Бюджет до, ₽")).toHaveValue("150\u00a0000");
  await screenshot(page, "03-order-refused-deadline");
  await expectAccessible(page);
  await page.getByRole("button", { name: /Что изготовить/ }).click();
  await expect(page.getByLabel("Название заказа")).toHaveValue(title);
  await expect(page.getByLabel("Материал")).toHaveValue("Алюминий Д16Т");
  await page.getByRole("button", { name: /Условия приёма предложений/ }).click();

  // A later deadline; the budget is still upside down, so the API refuses again, at the maximum.
  await page.getByLabel("Приём предложений до").fill(localDateTime(10 * day));
  await continueTo(page, "Проверьте заказ");
  await page.getByRole("button", { name: "Сохранить черновик" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Условия приёма предложений" })).toBeVisible();
  // The refusal says the least the maximum may be: the minimum typed.
  await expect(page.locator(".field-error").filter({ hasText: "Бюджет до, ₽" })).toContainText(
    /Бюджет до: от 300\s000\s₽ до [\d\s]+\s₽ — не меньше бюджета «от»\./,
  );
  await page.getByLabel("Бюджет до, ₽").fill("450 000,50");
  await continueTo(page, "Проверьте заказ");
  await expect(summary).toContainText("450 000,50 ₽");
  await page.getByRole("button", { name: "Сохранить черновик" }).click();

  // My orders: the draft is listed with its status.
  await expect(page).toHaveURL(/\/my\/orders$/);
  await expect(page.getByRole("status").filter({ hasText: `Черновик «${title}» сохранён.` })).toBeVisible();
  const row = page.locator(".order-row").filter({ hasText: title });
  await expect(row).toContainText("Черновик");
  await expect(row).toContainText("Фрезерование с ЧПУ · Алюминий Д16Т · 500 шт.");
  await expect(row).toContainText("Бюджет 300 000 ₽ — 450 000,50 ₽");
  await expect(row).toContainText(`Заказчик: ${branch}`);
  await screenshot(page, "03-my-orders-draft");
  await expectAccessible(page);

  // Filters by status live in the URL.
  await page.getByRole("link", { name: "Приём предложений" }).click();
  await expect(page).toHaveURL(/status=OPEN/);
  await expect(page.getByText("Заказов с таким статусом нет.")).toBeVisible();
  await page.getByRole("link", { name: "Черновик", exact: true }).click();
  await expect(page).toHaveURL(/status=DRAFT/);
  await expect(row).toBeVisible();

  // The draft opens in the form: change the quantity, save, then publish.
  await row.getByRole("link", { name: title, exact: true }).click();
  await expect(page).toHaveURL(/\/orders\/[^/]+\/edit/);
  await expect(page.getByRole("heading", { level: 1, name: `Заказ «${title}»` })).toBeVisible();
  await expect(page.getByLabel("Название заказа")).toHaveValue(title);
  await page.getByLabel("Количество, шт.").fill("750");
  await page.getByRole("button", { name: /Проверьте заказ/ }).click();
  await expect(summary).toContainText("750 шт.");
  await expect(summary).toContainText(branch);
  await page.getByRole("button", { name: "Сохранить изменения" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Изменения сохранены." })).toBeVisible();
  await screenshot(page, "03-edit-draft-saved");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Сохранить и опубликовать" }).click();

  await expect(page).toHaveURL(/\/my\/orders$/);
  await expect(page.getByRole("status").filter({ hasText: `Заказ «${title}» опубликован` })).toBeVisible();
  await expect(row).toContainText("Приём предложений");
  await expect(row).toContainText("750 шт.");
  await expect(row.getByRole("link", { name: title, exact: true })).toHaveAttribute("href", /\/orders\/[^/]+$/);
  await screenshot(page, "03-my-orders-published");
  await page.context().close();
});

test("a buyer cancels a draft with a reason, and My orders reads in English too", async ({ browser, api }) => {
  const buyer = await signUp(api, { kind: "BUYER" });
  const title = unique("Втулка ");
  const kept = unique("Фланец ");
  await draftOrder(api.as(buyer.token), kept);
  await draftOrder(api.as(buyer.token), title);
  const page = await pageSignedIn(browser, buyer.token);
  await page.goto("/my/orders?status=DRAFT");
  const row = page.locator(".order-row").filter({ hasText: title });
  await row.getByRole("link", { name: title, exact: true }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Отменить заказ" })).toBeVisible();
  await page.getByLabel("Причина отмены").fill("Закупка перенесена на следующий квартал.");
  await page.getByRole("button", { name: "Отменить заказ" }).click();
  await expect(page).toHaveURL(/\/my\/orders$/);
  await expect(page.getByRole("status").filter({ hasText: `Заказ «${title}» отменён.` })).toBeVisible();
  await expect(row).toContainText("Отменён");
  await expect(row).toContainText("Причина отмены: Закупка перенесена на следующий квартал.");
  await expect(page.locator(".order-row").filter({ hasText: kept })).toContainText("Черновик");
  await screenshot(page, "03-my-orders-cancelled");

  await page.getByRole("link", { name: "Отменён", exact: true }).click();
  await expect(page).toHaveURL(/status=CANCELLED/);
  await expect(page.locator(".order-row")).toHaveCount(1);
  await page.getByRole("combobox", { name: "Язык" }).selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "My orders" })).toBeVisible();
  await expect(row).toContainText("Cancelled");
  await expect(page.getByRole("link", { name: "Cancelled", exact: true })).toHaveAttribute("aria-current", "page");
  await screenshot(page, "03-my-orders-en");
  await expectAccessible(page);
  await page.context().close();
});

test("My orders scrolls on past its first page", async ({ browser, api }) => {
  const buyer = await signUp(api, { kind: "BUYER" });
  const as = api.as(buyer.token);
  const prefix = unique("Деталь ");
  for (let n = 1; n <= 22; n += 1) await draftOrder(as, `${prefix} №${String(n).padStart(2, "0")}`);
  const page = await pageSignedIn(browser, buyer.token);
  await page.goto("/my/orders");
  const rows = page.locator(".order-row");
  await expect(rows.first()).toContainText(`${prefix} №22`);
  await expect(rows).toHaveCount(20);
  await rows.nth(19).scrollIntoViewIfNeeded();
  await expect(rows).toHaveCount(22);
  await expect(rows.last()).toContainText(`${prefix} №01`);
  await expect(page.getByRole("button", { name: "Показать ещё" })).toHaveCount(0);
  await page.context().close();
});

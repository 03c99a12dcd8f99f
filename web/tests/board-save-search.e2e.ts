// The board's filters kept as a saved search: a machine shop filters the board by process and region, saves it
// under the name the filters make, is told the sort is not kept; the board, reloaded with the same filters (any order),
// says up front that they are saved instead of offering the save again, and offers it again once a filter changes; a
// save raced by another tab is told which search it duplicates. The shop finds the search on the saved searches page
// and opens the board from it with the same filters; deleted there, the board offers it again. A buyer is not offered it.
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { legalId, signUp, unique } from "./support/api";
import { createOrder } from "./support/bidding";
import { manufacturerWithProfile } from "./support/manufacturers";

test("a manufacturer saves the board's filters and opens the board again from the saved search", async ({
  browser,
  api,
}) => {
  const buyer = await signUp(api, { kind: "BUYER" });
  const title = unique("Фланец сохранённый");
  await createOrder(api, buyer, { title, region: "RU-MOW", process: "CNC_MILLING" });
  const maker = await manufacturerWithProfile(api, { name: unique("Сохранмаш ") });

  const page = await pageSignedIn(browser, maker.token);
  await page.goto("/orders");
  await page.locator("summary", { hasText: "Технологии" }).click();
  // A click, then the URL: the checkbox is controlled by the URL, which updates after the click.
  await page.getByRole("checkbox", { name: "Фрезерование с ЧПУ" }).click();
  await expect(page).toHaveURL(/process=CNC_MILLING/);
  await expect(page.getByRole("checkbox", { name: "Фрезерование с ЧПУ" })).toBeChecked();
  await page.getByLabel("Регион поставки").selectOption("RU-MOW");
  await page.getByLabel("Сортировка").selectOption("DEADLINE");
  await expect(page).toHaveURL(/process=CNC_MILLING/);
  await expect(page).toHaveURL(/region=RU-MOW/);
  await expect(page.getByRole("link", { name: title })).toBeVisible();

  // What a saved search cannot keep is said beside the button.
  const save = page.getByRole("button", { name: "Сохранить поиск" });
  await expect(save).toBeVisible();
  await expect(page.getByText(/Сортировка в поиске не сохраняется/)).toBeVisible();
  await save.click();
  const name = page.getByLabel("Название поиска");
  await expect(name).toHaveValue("Фрезерование с ЧПУ · Москва");
  await screenshot(page, "board-save-01-form");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Сохранить", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Поиск «Фрезерование с ЧПУ · Москва» сохранён" })).toBeVisible();
  await screenshot(page, "board-save-02-saved");

  // The same filters again, reloaded (the URL's values in another order): the board says they are saved, up front.
  const url = new URL(page.url());
  await page.goto(`/orders?region=RU-MOW&sort=DEADLINE&process=CNC_MILLING`);
  const note = page.locator(".saved-search-note");
  await expect(note).toContainText("Поиск сохранён: «Фрезерование с ЧПУ · Москва»");
  await expect(note.getByRole("link", { name: "Управлять сохранёнными поисками" })).toHaveAttribute(
    "href",
    "/saved-searches",
  );
  await expect(save).toHaveCount(0);
  await screenshot(page, "board-save-03-already-saved");
  await expectAccessible(page);

  // Another filter is another search: the save is offered again, and no note says «saved». (The processes are
  // unfolded already: one is chosen.)
  await page.getByRole("checkbox", { name: "Токарная обработка с ЧПУ" }).click();
  await expect(page).toHaveURL(/process=CNC_TURNING/);
  await expect(save).toBeVisible();
  await expect(note).toHaveCount(0);
  await screenshot(page, "board-save-04-other-filters");

  // Saved meanwhile elsewhere (another tab, a colleague): the save is refused naming the one kept (once: the note
  // does not repeat it), and the offer goes.
  await save.click();
  await api.as(maker.token).gql(
    `mutation { saveSearch(name: "Из другой вкладки", filter: {processes: [CNC_MILLING, CNC_TURNING], regions: ["RU-MOW"]}) { __typename } }`,
  );
  await page.getByRole("button", { name: "Сохранить", exact: true }).click();
  await expect(page.getByText("Такой поиск уже сохранён — «Из другой вкладки».")).toBeVisible();
  await expect(save).toHaveCount(0);
  await expect(note).toHaveCount(0);
  await screenshot(page, "board-save-05-duplicate");

  // Back to the first filters: still saved (what the save above changed did not confuse the board's cache).
  await page.goto(url.pathname + url.search);
  await expect(note).toContainText("Поиск сохранён: «Фрезерование с ЧПУ · Москва»");

  await note.getByRole("link", { name: "Управлять сохранёнными поисками" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Сохранённые поиски" })).toBeVisible();
  const cards = page.getByRole("list", { name: "Сохранённые поиски" }).locator(":scope > li");
  await expect(cards).toHaveCount(2);
  await expect(cards.first()).toContainText("Фрезерование с ЧПУ · Москва");
  await screenshot(page, "board-save-06-saved-searches");

  await page.getByRole("link", { name: "Открыть на доске заказов: Фрезерование с ЧПУ · Москва" }).click();
  await expect(page).toHaveURL(/\/orders\?/);
  await expect(page).toHaveURL(/process=CNC_MILLING/);
  await expect(page).toHaveURL(/region=RU-MOW/);
  await expect(page.getByRole("checkbox", { name: "Фрезерование с ЧПУ" })).toBeChecked();
  await expect(page.getByLabel("Регион поставки")).toHaveValue("RU-MOW");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await expect(note).toContainText("Поиск сохранён: «Фрезерование с ЧПУ · Москва»");
  await screenshot(page, "board-save-07-board-again");

  // Deleted on the saved searches page, then back to the board in the same tab (the app's cache, not a reload): the
  // board no longer says it is saved, and offers the save again.
  await note.getByRole("link", { name: "Управлять сохранёнными поисками" }).click();
  await page.getByRole("button", { name: "Удалить поиск «Фрезерование с ЧПУ · Москва»" }).click();
  await expect(page.getByText("Поиск «Фрезерование с ЧПУ · Москва» удалён.")).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/process=CNC_MILLING/);
  await expect(save).toBeVisible();
  await expect(note).toHaveCount(0);

  // A buyer may not keep saved searches: the API lists no organisation for it, and the board offers nothing.
  const buyerPage = await pageSignedIn(browser, buyer.token);
  await buyerPage.goto("/orders?process=CNC_MILLING");
  await expect(buyerPage.getByRole("link", { name: title })).toBeVisible();
  await expect(buyerPage.getByRole("button", { name: "Сохранить поиск" })).toHaveCount(0);
});

test("a person in two machine shops sees which company keeps each saved search", async ({ browser, api }) => {
  const first = `ООО «${unique("Фрезерный цех ")}»`;
  const maker = await manufacturerWithProfile(api, { name: first });
  const as = api.as(maker.token);
  const saved = await as.gql(
    `mutation($filter: OrderSearchFilterInput!) { saveSearch(name: "Фрезерование, Урал", filter: $filter) {
       __typename } }`,
    { filter: { processes: ["CNC_MILLING"], regions: ["RU-SVE"] } },
  );
  expect(saved.saveSearch.__typename).toBe("SavedSearchSuccess");

  // In one company: its name on every card would say nothing.
  const page = await pageSignedIn(browser, maker.token);
  await page.goto("/saved-searches");
  const cards = page.getByRole("list", { name: "Сохранённые поиски" }).getByRole("article");
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).not.toContainText("Компания:");

  // A second machine shop: now each search says whose it is, and the form asks for which company.
  const second = `АО «${unique("Уральский завод ")}»`;
  const created = await as.gql(
    `mutation($input: OrganisationInput!) { createOrganisation(input: $input) { __typename } }`,
    { input: { name: second, legalId: legalId(), region: "RU-SVE", kind: "MANUFACTURER" } },
  );
  expect(created.createOrganisation.__typename).toBe("OrganisationSuccess");
  await page.reload();
  await expect(cards.first().locator(".saved-search-company")).toHaveText(`Компания: ${first}`);
  await page.getByLabel("Название поиска").fill("Фрезерование, Урал");
  await page.getByLabel("Для какой компании").selectOption({ label: second });
  await page.locator("summary", { hasText: "Технологии" }).click();
  await page.getByRole("checkbox", { name: "Фрезерование с ЧПУ" }).check();
  await page.getByLabel("Регион доставки").selectOption("RU-SVE");
  await page.getByRole("button", { name: "Сохранить поиск" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Поиск «Фрезерование, Урал» сохранён." })).toBeVisible();
  await expect(cards).toHaveCount(2);
  await expect(cards.locator(".saved-search-company")).toHaveText([`Компания: ${first}`, `Компания: ${second}`]); // oldest first
  await expect(page.getByRole("link", { name: `Открыть на доске заказов: Фрезерование, Урал — ${second}` })).toBeVisible();
  await screenshot(page, "board-save-08-two-companies");
  await expectAccessible(page);

  // One name, two companies: the delete button names whose, and only that one goes.
  await page.getByRole("button", { name: `Удалить поиск «Фрезерование, Урал» компании ${first}` }).click();
  await expect(cards).toHaveCount(1);
  await expect(cards.first().locator(".saved-search-company")).toHaveText(`Компания: ${second}`);
  await page.context().close();
});

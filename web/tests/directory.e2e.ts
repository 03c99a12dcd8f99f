// Journey 0: without signing in, the supplier directory and a manufacturer's public page.
import { manufacturerWithProfile, waitForSearch } from "./support/manufacturers";
import { expect, expectAccessible, screenshot, test } from "./support/fixtures";
import { unique } from "./support/api";

test("a visitor finds a manufacturer by text and facets, and opens its public page", async ({ page, api }) => {
  const tag = unique("Уралмаш");
  await manufacturerWithProfile(api, {
    name: `${tag} Прецизион`,
    region: "RU-SVE",
    processes: ["CNC_MILLING", "EDM"],
    description: "Электроэрозия и фрезерование титана.",
  });
  await manufacturerWithProfile(api, { name: `${tag} Литейный`, region: "RU-CHE", processes: ["SAND_CASTING"] });
  await waitForSearch(api, tag, 2);

  await page.goto("/suppliers");
  await expect(page.getByRole("heading", { level: 1, name: "Производители" })).toBeVisible();
  await page.getByLabel("Что нужно изготовить").fill(tag);
  await page.getByRole("button", { name: "Найти" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(tag)}`));
  await expect(page.getByRole("status").filter({ hasText: "Найдено 2 производителя" })).toBeVisible();
  await expect(page.getByRole("link", { name: `${tag} Прецизион` })).toBeVisible();
  await expect(page.getByRole("link", { name: `${tag} Литейный` })).toBeVisible();
  await screenshot(page, "00-directory-search");
  await expectAccessible(page);

  // A facet chip narrows the list, and the URL carries it (a link that can be shared).
  await page.getByRole("button", { name: /Добавить фильтр: Электроэрозионная обработка/ }).click();
  await expect(page).toHaveURL(/process=EDM/);
  await expect(page.getByRole("link", { name: `${tag} Литейный` })).toHaveCount(0);
  await expect(page.getByRole("link", { name: `${tag} Прецизион` })).toBeVisible();

  // The shared link opens the same search in a fresh page.
  const shared = page.url();
  const other = await page.context().newPage();
  await other.goto(shared);
  await expect(other.getByRole("link", { name: `${tag} Прецизион` })).toBeVisible();
  await expect(other.getByRole("link", { name: `${tag} Литейный` })).toHaveCount(0);
  await other.close();

  await page.getByRole("link", { name: `${tag} Прецизион` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${tag} Прецизион` })).toBeVisible();
  await expect(page.getByText("Свердловская область")).toBeVisible();
  await expect(page.getByText("Электроэрозия и фрезерование титана.")).toBeVisible();
  await expect(page.getByText("ISO 9001").first()).toBeVisible();
  await expect(page.getByText(/^от 10 до 5\s000 шт\.$/)).toBeVisible();
  await expect(page.getByText("800 × 500 × 400 мм")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Показатели" })).toBeVisible();
  await screenshot(page, "00-supplier-page");
  await expectAccessible(page);

  // Back returns to the filtered search.
  await page.goBack();
  await expect(page).toHaveURL(/process=EDM/);
  await expect(page.getByRole("link", { name: `${tag} Прецизион` })).toBeVisible();
});

test("the directory filters by region and certificate from the sidebar, in English too", async ({ page, api }) => {
  const tag = unique("Kazan");
  await manufacturerWithProfile(api, { name: `${tag} Works`, region: "RU-TA" });
  await waitForSearch(api, tag, 1);
  await page.goto("/suppliers");
  await page.getByRole("combobox", { name: "Язык" }).selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Manufacturers" })).toBeVisible();
  await page.getByLabel("What do you need made").fill(tag);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByLabel("Region").selectOption("RU-TA");
  await expect(page).toHaveURL(/region=RU-TA/);
  await expect(page.getByRole("link", { name: `${tag} Works` })).toBeVisible();
  await page.getByLabel("Region").selectOption("RU-MOW");
  await expect(page.getByText("Nobody matches. Try removing some filters.")).toBeVisible();
  await screenshot(page, "00-directory-empty-en");
  await expectAccessible(page);
});

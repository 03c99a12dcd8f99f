// Journey: each person's language lives on their account. An English reader signs in on a Russian browser and the
// exchange turns English; the header's switch saves a new choice to the account, which a reload (or another device)
// keeps; the account page shows and sets it; a sign-up keeps the language the page was in. Signed out, the switch
// is this browser's only.
import { expect, expectAccessible, screenshot, test } from "./support/fixtures";
import { signUp, unique, type Api } from "./support/api";

const ME = "{ me { language } }";
const SET_LANGUAGE = `mutation($language: Language!) { setMyLanguage(language: $language) { __typename } }`;

async function accountLanguage(api: Api, token: string): Promise<string> {
  return (await api.as(token).gql<{ me: { language: string } }>(ME)).me.language;
}

test("an English reader signs in to English; the header's switch is saved to the account and survives a reload", async ({
  browser,
  api,
}) => {
  const reader = await signUp(api, { kind: "BUYER", fullName: "Jane Reader" });
  await api.as(reader.token).gql(SET_LANGUAGE, { language: "EN" });
  // A fresh Russian browser, signed out: the exchange reads Russian until it knows who this is.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { level: 1, name: "Вход" })).toBeVisible();
  await page.getByLabel("Электронная почта").fill(reader.email);
  await page.getByLabel("Пароль").fill(reader.password);
  await page.getByRole("button", { name: "Войти" }).click();

  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main menu" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Language" })).toHaveValue("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await screenshot(page, "language-01-signed-in-english");
  await expectAccessible(page);

  // The header's switch: Russian at once, and on the account.
  await page.getByRole("combobox", { name: "Language" }).selectOption("ru");
  await expect(page.getByRole("button", { name: "Выйти" })).toBeVisible();
  await expect.poll(() => accountLanguage(api, reader.token)).toBe("RU");
  await page.reload();
  await expect(page.getByRole("button", { name: "Выйти" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Язык" })).toHaveValue("ru");
  await screenshot(page, "language-02-switched-to-russian-after-reload");

  // The account page: the person's name in the header leads to it; the language is there too.
  await page.getByRole("link", { name: "Jane Reader" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Учётная запись" })).toBeVisible();
  const russian = page.getByRole("radio", { name: "Русский" });
  const english = page.getByRole("radio", { name: "English" });
  await expect(russian).toBeChecked();
  await screenshot(page, "language-03-account-page-russian");
  await expectAccessible(page);
  await english.check();
  await expect(page.locator("p[role=status]")).toHaveText("Language saved: for the site and for your e-mails.");
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect.poll(() => accountLanguage(api, reader.token)).toBe("EN");
  await screenshot(page, "language-04-account-page-english-saved");
  await expectAccessible(page);

  // Signed out, the switch stays in this browser and the account keeps English.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("combobox", { name: "Language" }).selectOption("ru");
  await expect(page.getByRole("link", { name: "Войти" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("link", { name: "Войти" })).toBeVisible();

  // Another device (a browser that never chose) signs in: the account's English.
  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await other.goto("/sign-in");
  await other.getByLabel("Электронная почта").fill(reader.email);
  await other.getByLabel("Пароль").fill(reader.password);
  await other.getByRole("button", { name: "Войти" }).click();
  await expect(other.getByRole("button", { name: "Sign out" })).toBeVisible();
  await screenshot(other, "language-06-another-device-english");
  await elsewhere.close();
  await context.close();
});

test("a sign-up keeps the language the page is in", async ({ page, api }) => {
  const email = `${unique("english")}@example.com`;
  await page.goto("/sign-up");
  await page.getByRole("combobox", { name: "Язык" }).selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Sign up" })).toBeVisible();
  await page.getByLabel("Full name").fill("John Maker");
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByLabel("Register my company now").uncheck();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

  const token = await page.evaluate(() => window.localStorage.getItem("exchange.token"));
  expect(token).toBeTruthy();
  expect(await accountLanguage(api, token!)).toBe("EN");
  await screenshot(page, "language-05-signed-up-in-english");
});

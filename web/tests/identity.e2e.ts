// Journey 1: sign up (person and company), the company page, sign out, sign in; an expired session.
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { legalId, signUp, unique } from "./support/api";

test("a buyer signs up with the company, sees the company page, signs out and in again", async ({ page }) => {
  const email = `${unique("buyer")}@example.com`;
  const company = `ООО «${unique("Заказчик ")}»`;
  await page.goto("/");
  await page.getByRole("link", { name: "Регистрация" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Регистрация" })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Имя и фамилия").fill("Ирина Покупаева");
  await page.getByLabel("Рабочая электронная почта").fill(email);
  // Too short: the API refuses, the error is shown at the field and summarised, and the form keeps its values.
  await page.getByLabel("Пароль").fill("short");
  await page.getByLabel("Название компании").fill(company);
  await page.getByLabel("ИНН", { exact: true }).fill(legalId());
  await page.getByLabel("Регион").selectOption("RU-NIZ");
  await page.getByLabel("Чем вы занимаетесь на бирже").selectOption("BUYER");
  await page.getByRole("button", { name: "Создать учётную запись" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Исправьте ошибки" });
  await expect(summary).toBeVisible();
  await expect(page.locator(".field-error")).toContainText("Пароль");
  await expect(page.getByLabel("Название компании")).toHaveValue(company);
  await screenshot(page, "01-sign-up-error");
  await expectAccessible(page);

  // An ИНН with a wrong check digit: refused at its field in Russian, and nothing is created.
  const inn = legalId();
  const wrongInn = `${inn.slice(0, 9)}${(Number(inn[9]) + 1) % 10}`;
  await page.getByLabel("Пароль").fill("correct horse battery");
  await page.getByLabel("ИНН", { exact: true }).fill(wrongInn);
  await page.getByRole("button", { name: "Создать учётную запись" }).click();
  await expect(page.locator(".field-error")).toContainText("Номер не прошёл проверку для страны компании: ИНН");
  await expect(page.getByLabel("ИНН", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Название компании")).toHaveValue(company);
  await screenshot(page, "01-sign-up-wrong-inn");
  await expectAccessible(page);

  await page.getByLabel("ИНН", { exact: true }).fill(inn);
  await page.getByRole("button", { name: "Создать учётную запись" }).click();
  await expect(page.getByRole("heading", { level: 1, name: company })).toBeVisible();
  await expect(page.getByText("Нижегородская область")).toBeVisible();
  await expect(page.getByText("Ещё не проверена оператором")).toBeVisible();
  await expect(page.getByText(`Ирина Покупаева · ${email} · Администратор`)).toBeVisible();
  await screenshot(page, "01-company-page");
  await expectAccessible(page);

  // The admin edits the company's details.
  await page.getByRole("button", { name: "Изменить данные" }).click();
  await page.getByLabel("Регион").selectOption("RU-MOW");
  await page.getByRole("button", { name: "Сохранить", exact: true }).click();
  await expect(page.getByText("Москва")).toBeVisible();

  await page.getByRole("button", { name: "Выйти" }).click();
  await expect(page.getByRole("link", { name: "Войти" })).toBeVisible();
  const companyUrl = `/company/${page.url().split("/company/")[1] ?? ""}`;

  await page.getByRole("link", { name: "Войти" }).click();
  await page.getByLabel("Электронная почта").fill(email);
  await page.getByLabel("Пароль").fill("wrong password!");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Исправьте ошибки" })).toBeVisible();
  await expect(page.getByLabel("Электронная почта")).toHaveValue(email);
  await page.getByLabel("Пароль").fill("correct horse battery");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("button", { name: "Выйти" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Компания" })).toBeVisible();
  expect(companyUrl).toContain("/company/");
});

test("an expired session goes to sign in and comes back to where it was", async ({ browser, api }) => {
  const buyer = await signUp(api, { kind: "BUYER" });
  const page = await pageSignedIn(browser, "a-token-the-server-does-not-know");
  await page.goto(`/company/${buyer.organisationId}`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await expect(page.getByText("Сессия истекла. Войдите снова.")).toBeVisible();
  await page.getByLabel("Электронная почта").fill(buyer.email);
  await page.getByLabel("Пароль").fill(buyer.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page).toHaveURL(new RegExp(`/company/${buyer.organisationId.replace(/[=+/]/g, ".")}`));
  await expect(page.getByRole("heading", { level: 1, name: buyer.organisationName })).toBeVisible();
  await page.context().close();
});

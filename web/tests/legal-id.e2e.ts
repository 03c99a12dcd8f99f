// The legal id by country: a Kazakh manufacturer signs up with its БИН (the field named by the region chosen first);
// a company that signed up before the ИНН check is listed for the operator and asked, on its page, to correct it.
import { binKz, legalId, signInOperator, signUp, unique } from "./support/api";
import { sql } from "./support/db";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";

test("a company in Kazakhstan signs up with its БИН, not an ИНН", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/sign-up");
  await page.getByLabel("Имя и фамилия").fill("Айгерим Садыкова");
  await page.getByLabel("Рабочая электронная почта").fill(`${unique("kz")}@example.com`);
  await page.getByLabel("Пароль").fill("correct horse battery");
  await page.getByLabel("Название компании").fill(`ТОО «${unique("Алматы Металл ")}»`);
  await expect(page.getByLabel("ИНН", { exact: true })).toBeVisible();
  await page.getByLabel("Регион").selectOption("KZ-75");
  await expect(page.getByLabel("ИНН", { exact: true })).toHaveCount(0);
  const bin = page.getByLabel("БИН", { exact: true });
  await expect(page.getByText("Бизнес-идентификационный номер Казахстана: 12 цифр.")).toBeVisible();
  await page.getByLabel("Чем вы занимаетесь на бирже").selectOption("MANUFACTURER");

  // A wrong check digit: refused at its field, nothing created.
  const good = binKz();
  await bin.fill(`${good.slice(0, 11)}${(Number(good[11]) + 1) % 10}`);
  await page.getByRole("button", { name: "Создать учётную запись" }).click();
  await expect(page.locator(".field-error")).toContainText("Номер не прошёл проверку для страны компании");
  await expect(bin).toHaveAttribute("aria-invalid", "true");
  await screenshot(page, "legal-id-01-sign-up-kz-390");
  await expectAccessible(page);

  await bin.fill(good);
  await page.getByRole("button", { name: "Создать учётную запись" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Алматы Металл/ })).toBeVisible();
  await expect(page.locator(".facts").first()).toContainText("БИН");
  await expect(page.locator(".facts").first()).toContainText(good);
  await expect(page.locator(".facts").first()).toContainText("Алматы");
  await expect(page.getByTestId("legal-id-notice")).toHaveCount(0);
  await screenshot(page, "legal-id-02-company-kz-390");
});

test("a company with an ИНН from before the check is listed for the operator and corrects it", async ({
  browser,
  api,
  baseURL,
}) => {
  const operatorToken = await signInOperator(api);
  const name = `ООО «${unique("Старый ИНН ")}»`;
  const buyer = await signUp(api, { kind: "BUYER", name, fullName: "Олег Старожилов" });
  const port = Number(new URL(baseURL ?? "").port);
  // What the old rule let through: ten digits, the check digit wrong (a valid ИНН with its last digit changed).
  const valid = legalId();
  const stored = `${valid.slice(0, 9)}${(Number(valid[9]) + 1) % 10}`;
  sql(port, "UPDATE organisation SET legal_id = $1 WHERE name = $2", stored, name);

  const operatorPage = await pageSignedIn(browser, operatorToken);
  await operatorPage.goto("/operator/verification");
  // The box is the URL's (checked once the address says invalidId=1): click, then wait for the address and the box;
  // check() asserts the state right after its click and once ran ahead of the navigation.
  const invalidOnly = operatorPage.getByLabel("Только с ИНН, БИН или УНП, не проходящим проверку");
  await invalidOnly.click();
  await expect(operatorPage).toHaveURL(/invalidId=1/);
  await expect(invalidOnly).toBeChecked();
  const card = operatorPage.getByRole("article").filter({ hasText: name });
  await expect(card).toContainText(`ИНН ${stored}`);
  await expect(card).toContainText("не проходит проверку");
  await screenshot(operatorPage, "legal-id-03-operator-filter");
  await expectAccessible(operatorPage);

  const page = await pageSignedIn(browser, buyer.token);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/company/${buyer.organisationId}`);
  const notice = page.getByTestId("legal-id-notice");
  await expect(notice).toContainText(`ИНН ${stored} не проходит проверку`);
  await screenshot(page, "legal-id-04-company-notice-390");
  await expectAccessible(page);

  await notice.getByRole("button", { name: "Исправить номер" }).click();
  const correct = legalId();
  await page.getByLabel("ИНН", { exact: true }).fill(correct);
  await page.getByRole("button", { name: "Сохранить", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Данные компании сохранены." })).toBeVisible();
  await expect(page.locator(".facts").first()).toContainText(correct);
  await expect(notice).toHaveCount(0);
  await expect(page.getByText("Ещё не проверена оператором")).toBeVisible();
  await screenshot(page, "legal-id-05-company-corrected-390");

  await operatorPage.reload();
  await expect(operatorPage.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(operatorPage.getByRole("article").filter({ hasText: name })).toHaveCount(0);
  await operatorPage.context().close();
  await page.context().close();
});

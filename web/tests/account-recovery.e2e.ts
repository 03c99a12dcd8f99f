// Account recovery: a new account confirms its address from the e-mailed link (the banner goes), forgets its
// password, asks for a link on the sign-in page, sets a new password from the e-mail, and the old session ends.
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { signUp } from "./support/api";
import { linkFromMail, mailCount } from "./support/mail";

test("a new account confirms its e-mail from the link it was sent, and the banner goes", async ({ api, browser }) => {
  const account = await signUp(api, { kind: "BUYER" });
  const page = await pageSignedIn(browser, account.token);
  await page.goto("/");
  const banner = page.locator(".verify-banner");
  await expect(banner).toContainText(account.email);
  await screenshot(page, "account-recovery-01-unverified-banner");
  await expectAccessible(page);

  // Another e-mail on request; either link works until one is used.
  const before = mailCount(account.email);
  await expect(banner).toContainText("Подтвердите адрес");
  await banner.getByRole("button", { name: "Отправить письмо ещё раз" }).click();
  await expect(page.getByText("Письмо отправлено.")).toBeVisible();
  const link = await linkFromMail(account.email, "/verify-email", before);

  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Подтверждение почты" })).toBeVisible();
  await expect(page.getByText("Адрес электронной почты подтверждён.")).toBeVisible();
  await expect(page.getByText("Подтвердите адрес")).toHaveCount(0);
  await screenshot(page, "account-recovery-02-verified");
  await expectAccessible(page);

  // The same link again: used, so it is refused, in the page's language.
  await page.goto(link);
  await expect(page.getByRole("alert")).toContainText("Ссылка недействительна");
  await screenshot(page, "account-recovery-03-link-used");
  await page.context().close();
});

test("a forgotten password is reset from the e-mailed link, and the old session ends", async ({ api, browser, page }) => {
  const account = await signUp(api, { kind: "MANUFACTURER" });
  const oldSession = await pageSignedIn(browser, account.token);
  await oldSession.goto("/");
  await expect(oldSession.getByText(`Подтвердите адрес ${account.email}`)).toBeVisible();

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Забыли пароль?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Восстановление пароля" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Электронная почта").fill("not an address");
  await page.getByRole("button", { name: "Прислать ссылку" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Исправьте ошибки" })).toBeVisible();
  await screenshot(page, "account-recovery-04-request-refused");

  const before = mailCount(account.email);
  await page.getByLabel("Электронная почта").fill(account.email);
  await page.getByRole("button", { name: "Прислать ссылку" }).click();
  await expect(page.getByRole("status")).toContainText(`Если адрес ${account.email} зарегистрирован`);
  await screenshot(page, "account-recovery-05-link-sent");
  await expectAccessible(page);

  // An address without an account gets the very same answer.
  await page.goto("/reset-password");
  await page.getByLabel("Электронная почта").fill("nobody-here@example.com");
  await page.getByRole("button", { name: "Прислать ссылку" }).click();
  await expect(page.getByRole("status")).toContainText("Если адрес nobody-here@example.com зарегистрирован");

  const link = await linkFromMail(account.email, "/reset-password", before);
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Новый пароль" })).toBeVisible();
  await page.getByLabel("Новый пароль").fill("short");
  await page.getByRole("button", { name: "Сохранить пароль" }).click();
  await expect(page.locator(".field-error")).toBeVisible();
  await screenshot(page, "account-recovery-06-new-password-refused");
  await expectAccessible(page);
  await page.getByLabel("Новый пароль").fill("a brand new password");
  await page.getByRole("button", { name: "Сохранить пароль" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Вход" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Пароль изменён");
  await screenshot(page, "account-recovery-07-password-changed");
  await page.getByLabel("Электронная почта").fill(account.email);
  await page.getByLabel("Пароль").fill(account.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("alert")).toContainText("Неверная электронная почта или пароль");
  await page.getByLabel("Пароль").fill("a brand new password");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("link", { name: "Войти" })).toHaveCount(0);
  // The link reached the address: it counts as confirmed, no banner.
  await expect(page.getByText("Подтвердите адрес")).toHaveCount(0);
  await screenshot(page, "account-recovery-08-signed-in-with-new-password");

  // The session from before the reset is over: the other browser is signed out.
  await oldSession.reload();
  await expect(oldSession.getByRole("link", { name: "Войти" })).toBeVisible();
  await expect(oldSession.getByText("Подтвердите адрес")).toHaveCount(0);
  await oldSession.context().close();
});

test("after too many wrong passwords the sign-in page says how long to wait", async ({ api, page }) => {
  const account = await signUp(api, { kind: "BUYER" });
  await page.goto("/sign-in");
  await page.getByLabel("Электронная почта").fill(account.email);
  // EXCHANGE_SIGN_IN_FAILURES_PER_ACCOUNT is 10 by default: the eleventh try waits, even with the right password.
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    await page.getByLabel("Пароль").fill(`wrong password ${attempt}`);
    await page.getByRole("button", { name: "Войти" }).click();
    await expect(page.getByRole("alert")).toContainText("Неверная электронная почта или пароль");
  }
  await page.getByLabel("Пароль").fill(account.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("alert")).toContainText(/Слишком много попыток\. Попробуйте снова через \d+ минут/);
  await expect(page.getByRole("link", { name: "Войти" })).toBeVisible(); // still signed out
  await screenshot(page, "account-recovery-09-too-many-attempts");
  await expectAccessible(page);
});

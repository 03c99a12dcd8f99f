// Journey 2: a manufacturer keeps its production profile: capabilities (a refused value shown at its field),
// certificates with their expiry, and spare capacity on a weekly calendar of free and held hours.
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { signUp, unique, legalId } from "./support/api";
import { dateIn, placeBid, publishOrder } from "./support/maker";

test("a manufacturer fills in its profile, fixing what the API refuses", async ({ browser, api }) => {
  const maker = await signUp(api, { kind: "MANUFACTURER", name: `ООО «${unique("Уралпрофиль ")}»` });
  const page = await pageSignedIn(browser, maker.token);
  await page.goto("/");
  await page.getByRole("link", { name: "Профиль производства" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Профиль производства" })).toBeVisible();
  await expect(page.getByText(maker.organisationName)).toBeVisible();
  await expect(page.getByText("Профиль ещё не заполнен")).toBeVisible();
  await expect(page.getByRole("link", { name: "Возможности" })).toHaveAttribute("aria-current", "page");

  // A first profile is filled one group at a time, then checked.
  await expect(page.getByText("Шаг 1 из 5")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Технологии" })).toBeVisible();
  await page.getByLabel("Фрезерование с ЧПУ").check();
  await page.getByLabel("Токарная обработка с ЧПУ").check();
  await page.getByRole("button", { name: "Далее" }).click();
  await expect(page.getByText("Шаг 2 из 5")).toBeVisible();
  await page.getByRole("textbox", { name: /Материалы/ }).fill("Алюминий Д16Т\nСталь 40Х");
  await page.getByRole("button", { name: "Далее" }).click();
  await page.getByLabel("Наименьшая партия, шт.").fill("500");
  await page.getByLabel("Наибольшая партия, шт.").fill("100");
  await page.getByRole("button", { name: "Далее" }).click();
  await page.getByLabel("Длина (X), мм").fill("800");
  await page.getByLabel("Ширина (Y), мм").fill("500");
  await page.getByLabel("Высота (Z), мм").fill("400");
  await page.getByRole("button", { name: "Далее" }).click();
  await expect(page.getByText("Шаг 5 из 5")).toBeVisible();
  await page.getByRole("textbox", { name: /Описание/ }).fill("Пять пятиосевых центров DMG MORI, контроль на КИМ.");
  await page.getByRole("button", { name: "Проверить" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Проверьте профиль перед сохранением" })).toBeVisible();
  await expect(page.getByText("800 × 500 × 400 мм")).toBeVisible();
  await screenshot(page, "02-profile-check");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Сохранить профиль" }).click();

  // The API refuses a largest batch below the smallest: back at that step, its message at the field.
  await expect(page.getByRole("alert").filter({ hasText: "Исправьте ошибки" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Партия, шт." })).toBeVisible();
  const maxField = page.locator(".field-error");
  await expect(maxField).toHaveCount(1);
  await expect(maxField).toContainText("Наибольшая партия, шт.");
  await expect(maxField).toContainText(/Значение выходит за допустимые пределы: допустимо от 500 до 1\s000\s000\s000 шт\./);
  await expect(page.getByLabel("Наибольшая партия, шт.")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Наименьшая партия, шт.")).toHaveValue("500");
  await screenshot(page, "02-profile-refused");
  await expectAccessible(page);

  await page.getByLabel("Наименьшая партия, шт.").fill("100");
  await page.getByLabel("Наибольшая партия, шт.").fill("5000");
  await page.getByRole("button", { name: "Проверить" }).click();
  await expect(page.getByText(/от 100 до 5\s000 шт\./)).toBeVisible();
  await page.getByRole("button", { name: "Сохранить профиль" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Профиль сохранён." })).toBeVisible();
  await expect(page.getByText("Пять пятиосевых центров DMG MORI, контроль на КИМ.")).toBeVisible();
  await expect(page.getByText("алюминий д16т, сталь 40х")).toBeVisible();
  await expect(page.getByText(/от 100 до 5\s000 шт\./)).toBeVisible();
  await expect(page.getByText("800 × 500 × 400 мм")).toBeVisible();
  await screenshot(page, "02-profile-saved");
  await expectAccessible(page);

  // One group is changed from the summary, starting from what is saved; the whole profile is replaced.
  await page.getByRole("button", { name: "Изменить: Технологии" }).click();
  await expect(page.getByLabel("Фрезерование с ЧПУ")).toBeChecked();
  await page.getByLabel("Токарная обработка с ЧПУ").uncheck();
  await page.getByLabel("Электроэрозионная обработка").check();
  await page.getByRole("button", { name: "Сохранить профиль" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Профиль сохранён." })).toBeVisible();
  const processes = page.locator(".summary-list .tags li");
  await expect(processes).toHaveText(["Фрезерование с ЧПУ", "Электроэрозионная обработка"]);
  await expect(page.getByText(/от 100 до 5\s000 шт\./)).toBeVisible();

  // A person in two manufacturers picks which profile to keep; the choice is in the URL.
  const second = `ООО «${unique("Второй цех ")}»`;
  const created = await api.as(maker.token).gql(
    `mutation($input: OrganisationInput!) { createOrganisation(input: $input) {
       __typename ... on OrganisationSuccess { organisation { id } } } }`,
    { input: { name: second, legalId: legalId(), region: "RU-PER", kind: "BOTH" } },
  );
  const secondId = created.createOrganisation.organisation.id;
  await page.reload();
  await page.getByLabel("Организация").selectOption({ label: second });
  await expect(page).toHaveURL(new RegExp(`org=${encodeURIComponent(secondId)}`));
  await expect(page.getByText("Профиль ещё не заполнен")).toBeVisible();
  await page.getByRole("link", { name: "Сертификаты" }).click();
  await expect(page).toHaveURL(/\/profile\/certificates\?org=/);
  await expect(page.getByLabel("Организация")).toHaveValue(secondId);
  await page.context().close();
});

test("a manufacturer adds a certificate, sees how long it is valid, and removes it", async ({ browser, api }) => {
  const maker = await signUp(api, { kind: "MANUFACTURER" });
  const page = await pageSignedIn(browser, maker.token);
  await page.goto("/profile/certificates");
  await expect(page.getByText("Сертификатов пока нет.")).toBeVisible();

  // An expired certificate is refused by the API, at the date.
  await page.getByLabel("Стандарт").selectOption("ISO_9001");
  await page.getByLabel("Номер сертификата").fill("РОСС RU.0001.22СМ45");
  await page.getByLabel("Кем выдан").fill("Русский Регистр");
  await page.getByLabel("Действует до").fill(dateIn(-3));
  await page.getByRole("button", { name: "Сохранить сертификат" }).click();
  await expect(page.locator(".field-error")).toContainText("Действует до");
  await expect(page.locator(".field-error")).toContainText("Эта дата уже прошла");
  await expect(page.getByText("Сертификатов пока нет.")).toBeVisible();

  await page.getByLabel("Действует до").fill(dateIn(5));
  await page.getByRole("button", { name: "Сохранить сертификат" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сертификат ISO 9001 сохранён." })).toBeVisible();
  const row = page.getByRole("row", { name: /ISO 9001/ });
  await expect(row).toContainText("РОСС RU.0001.22СМ45");
  await expect(row).toContainText("Русский Регистр");
  await expect(row).toContainText("Действует");
  await expect(row).toContainText(/истекает через (5|6) дн/);
  // The form is cleared for the next one.
  await expect(page.getByLabel("Номер сертификата")).toHaveValue("");

  await page.getByLabel("Стандарт").selectOption("AS9100");
  await page.getByLabel("Номер сертификата").fill("AS-2027-77");
  await page.getByLabel("Действует до").fill(dateIn(700));
  await page.getByRole("button", { name: "Сохранить сертификат" }).click();
  await expect(page.getByRole("row", { name: /AS9100/ })).toContainText(/истекает через (2 года|23 месяца)/);
  await screenshot(page, "02-certificates");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Удалить сертификат ISO 9001" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сертификат ISO 9001 удалён." })).toBeVisible();
  await expect(page.getByRole("row", { name: /ISO 9001/ })).toHaveCount(0);
  await expect(page.getByRole("row", { name: /AS9100/ })).toBeVisible();
  await page.context().close();
});

test("a manufacturer lists capacity and sees free and held hours on the weekly calendar", async ({ browser, api }) => {
  const maker = await signUp(api, { kind: "MANUFACTURER" });
  await api.as(maker.token).gql(
    `mutation($org: ID!) { updateManufacturerProfile(organisationId: $org, input: {
       processes: [CNC_MILLING], materials: ["Алюминий Д16Т"], minQuantity: 10, maxQuantity: 5000 }) { __typename } }`,
    { org: maker.organisationId },
  );
  const page = await pageSignedIn(browser, maker.token);
  await page.goto("/profile/capacity");
  await expect(page.getByRole("heading", { name: "Загрузка по неделям" })).toBeVisible();
  await expect(page.getByText("В эти недели мощности не заявлены.")).toBeVisible();

  // Refused by the API: a period that ends before it starts.
  await page.getByLabel("Технология").selectOption("CNC_MILLING");
  await page.getByLabel("Машино-часов в неделю").fill("40");
  await page.getByLabel("Доступно по").fill(dateIn(-10));
  await page.getByLabel("Ставка за час").fill("1 250,50");
  // The currency is picked from the API's list, roubles first and chosen: not typed as a code.
  const currency = page.getByLabel("Валюта");
  await expect(currency.locator("option").first()).toHaveText("Российский рубль (RUB)");
  await expect(currency.locator("option:checked")).toHaveText("Российский рубль (RUB)");
  await expect(currency.locator("option", { hasText: "Китайский юань (CNY)" })).toHaveCount(1);
  await screenshot(page, "02-capacity-form-currency");
  await page.getByRole("button", { name: "Добавить мощность" }).click();
  await expect(page.locator(".field-error")).toContainText("Доступно по");
  await expect(page.getByText("Мощности не заявлены.", { exact: true })).toBeVisible();

  await page.getByLabel("Доступно по").fill(dateIn(55));
  await page.getByRole("button", { name: "Добавить мощность" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Мощность добавлена." })).toBeVisible();
  const calendar = page.getByRole("table", { name: /Машино-часы по неделям/ });
  await expect(calendar.getByRole("columnheader", { name: "Фрезерование с ЧПУ" })).toBeVisible();
  await expect(calendar.getByText("Свободно 40 из 40 ч").first()).toBeVisible();
  await expect(calendar.getByText(/1\s250,50\s₽\/ч/).first()).toBeVisible();
  await expect(page.getByRole("row", { name: /Фрезерование с ЧПУ 40/ })).toContainText(/1\s250,50\s₽/);
  await screenshot(page, "02-capacity-listed");
  await expectAccessible(page);

  // A buyer's order needing 80 machine-hours, and the manufacturer's bid on it: the bid holds hours softly.
  const buyer = await signUp(api, { kind: "BUYER" });
  const orderId = await publishOrder(api, buyer, { title: `Корпус датчика ${unique("")}`, estimatedMachineHours: 80 });
  const bidId = await placeBid(api, maker, orderId);
  await page.reload();
  await expect(calendar.getByText(/Под предложения: \d+ ч/).first()).toBeVisible();
  await expect(calendar.getByText("Свободно 40 из 40 ч").first()).toBeVisible();

  // The buyer awards the bid: its hold becomes firm, and the weeks it covers have fewer hours free.
  const award = await api.as(buyer.token).gql(`mutation($id: ID!) { awardBid(bidId: $id) { __typename } }`, {
    id: bidId,
  });
  expect(award.awardBid.__typename).toBe("AwardBidSuccess");
  await page.reload();
  await expect(calendar.getByText(/По договорам: \d+ ч/).first()).toBeVisible();
  await expect(calendar.getByText(/Свободно [1-3]\d из 40 ч/).first()).toBeVisible();
  await expect(calendar.getByText(/Под предложения/)).toHaveCount(0);
  await screenshot(page, "02-capacity-held");
  await expectAccessible(page);

  // Later weeks, and back.
  await page.getByRole("button", { name: /Следующие недели/ }).click();
  await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}/);
  await expect(page.getByText("В эти недели мощности не заявлены.")).toBeVisible();
  await page.getByRole("button", { name: "К текущей неделе" }).click();
  // Back on the listed weeks (whether one of them is wholly free depends on the weekday the hold was spread from).
  await expect(page).not.toHaveURL(/from=/);
  await expect(calendar.getByText(/Свободно \d+ из 40 ч/).first()).toBeVisible();

  await page.getByRole("button", { name: /Удалить мощность: Фрезерование с ЧПУ/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Мощность удалена." })).toBeVisible();
  await expect(page.getByText("Мощности не заявлены.", { exact: true })).toBeVisible();
  // The contract still holds its hours, now against nothing listed.
  await expect(calendar.getByText("Свободно 0 из 0 ч").first()).toBeVisible();

  // In English too.
  await page.getByRole("combobox", { name: "Язык" }).selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Production profile" })).toBeVisible();
  const calendarEn = page.getByRole("table", { name: /Machine-hours by week and process/ });
  await expect(calendarEn.getByRole("columnheader", { name: "CNC milling" })).toBeVisible();
  await expect(calendarEn.getByText("0 of 0 h free").first()).toBeVisible();
  await expect(calendarEn.getByText(/For contracts: \d+ h/).first()).toBeVisible();
  await expect(page.getByText("No capacity listed.")).toBeVisible();
  await page.context().close();
});

// Journey 4: who fits a buyer's order — recommended manufacturers with the score explained factor by factor,
// one excluded with its reason, the supplier search on the same page, and invitations from both lists.
import { Api, signUp, unique, type Account } from "./support/api";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { manufacturerWithProfile, waitForSearch } from "./support/manufacturers";

const day = 24 * 3600 * 1000;
const isoDate = (offset: number) => new Date(Date.now() + offset).toISOString().slice(0, 10);

async function offer(api: Api, shop: Account, options: { hoursPerWeek: number; rate: string; certify?: boolean }) {
  const as = api.as(shop.token);
  const listing = await as.gql(
    `mutation($input: CapacityListingInput!) { addCapacityListing(input: $input) { __typename ... on UserError { message field } } }`,
    {
      input: {
        organisationId: shop.organisationId,
        process: "WATERJET_CUTTING",
        machineHoursPerWeek: options.hoursPerWeek,
        availableFrom: isoDate(0),
        availableTo: isoDate(120 * day),
        hourlyRate: { amount: options.rate, currency: "RUB" },
      },
    },
  );
  if (listing.addCapacityListing.__typename !== "CapacityListingSuccess") throw new Error(JSON.stringify(listing));
  if (options.certify) {
    const certificate = await as.gql(
      `mutation($input: CertificationInput!) { setCertification(input: $input) { __typename ... on UserError { message field } } }`,
      {
        input: {
          organisationId: shop.organisationId,
          standard: "AS9100",
          certificateNumber: "AS-2026-17",
          issuedBy: "Bureau Veritas",
          validUntil: isoDate(400 * day),
        },
      },
    );
    if (certificate.setCertification.__typename !== "CertificationSuccess") throw new Error(JSON.stringify(certificate));
  }
}

test("a buyer sees who fits an order, why, who does not, and invites manufacturers from both lists", async ({
  browser,
  api,
}) => {
  const tag = unique("Гидрорез");
  const processes = ["WATERJET_CUTTING", "LASER_CUTTING"];
  const near = await manufacturerWithProfile(api, { name: `${tag} Урал`, region: "RU-SVE", processes });
  const far = await manufacturerWithProfile(api, { name: `${tag} Москва`, region: "RU-MOW", processes });
  const uncertified = await manufacturerWithProfile(api, { name: `${tag} Без AS9100`, region: "RU-SVE", processes });
  await offer(api, near, { hoursPerWeek: 60, rate: "2500", certify: true });
  await offer(api, far, { hoursPerWeek: 30, rate: "3500", certify: true });
  await offer(api, uncertified, { hoursPerWeek: 60, rate: "2000" });
  await waitForSearch(api, tag, 3);

  const buyer: Account = await signUp(api, { kind: "BUYER", fullName: "Олег Снабженцев" });
  const title = unique("Прокладки ");
  const created = await api.as(buyer.token).gql(
    `mutation($input: CreateOrderInput!) {
      createOrder(input: $input) { __typename ... on OrderSuccess { order { id } } ... on UserError { message field } }
    }`,
    {
      input: {
        title,
        process: "WATERJET_CUTTING",
        material: "Алюминий Д16Т",
        quantity: 500,
        requiredCertifications: ["AS9100"],
        needBy: isoDate(40 * day),
        deliveryRegion: "RU-SVE",
        budgetMin: { amount: "200000", currency: "RUB" },
        budgetMax: { amount: "400000", currency: "RUB" },
        biddingDeadline: new Date(Date.now() + 14 * day).toISOString(),
        visibility: "INVITED",
        estimatedMachineHours: 100,
      },
    },
  );
  if (created.createOrder.__typename !== "OrderSuccess") throw new Error(JSON.stringify(created));

  const page = await pageSignedIn(browser, buyer.token);
  await page.goto("/my/orders");
  await page.getByRole("link", { name: `Кто подходит: ${title}` }).click();
  await expect(page).toHaveURL(/\/orders\/[^/]+\/suppliers$/);
  await expect(page.getByRole("heading", { level: 1, name: `Кто подходит для заказа «${title}»` })).toBeVisible();
  await expect(page.getByText("Гидроабразивная резка · Алюминий Д16Т · 500 шт.")).toBeVisible();

  // Recommended: both certified shops, the one in the delivery region with more spare hours first.
  const recommended = page.locator("ol.matches > li");
  await expect(page.getByText("Подходят 2 производителя")).toBeVisible();
  await expect(recommended).toHaveCount(2);
  await expect(recommended.nth(0).getByRole("heading", { level: 3 })).toContainText(`${tag} Урал`);
  await expect(recommended.nth(1).getByRole("heading", { level: 3 })).toContainText(`${tag} Москва`);
  const first = recommended.nth(0);
  await expect(first.getByText(/^Соответствие: [\d,]+ из 100$/)).toBeVisible();
  await expect(first.getByTestId("factor-bar")).toHaveCount(7);
  await expect(first.getByRole("row", { name: /Близость к месту доставки/ })).toContainText("100 % × вес 1");
  await expect(recommended.nth(1).getByRole("row", { name: /Близость к месту доставки/ })).toContainText("50 % × вес 1");
  await expect(first.getByRole("row", { name: /Поставки в срок/ })).toContainText("50 % × вес 2");
  await expect(first.getByRole("table", { name: `Из чего сложилась оценка ${tag} Урал` })).toBeVisible();

  // Excluded: the shop without AS9100, with the filter and the reason (the API's code and standard, in Russian).
  const excluded = page.locator("ul.excluded > li").filter({ hasText: `${tag} Без AS9100` });
  await expect(excluded).toContainText("Не проходит по условию: Сертификаты");
  await expect(excluded.getByTestId("exclusion-reason")).toHaveText("Нужен сертификат AS9100, в профиле его нет.");
  await screenshot(page, "04-who-fits");
  await expectAccessible(page);

  // Invite the best fit from the recommendations.
  await first.getByRole("button", { name: `Пригласить: ${tag} Урал` }).click();
  await expect(first.getByText("✓ Приглашён")).toBeVisible();
  await expect(first.getByRole("button", { name: /Пригласить/ })).toHaveCount(0);

  // The supplier search on the same page: the invited shop is marked there too; invite another from it.
  const search = page.getByRole("region", { name: "Поиск производителей" });
  await search.getByLabel("Что нужно изготовить").fill(tag);
  await search.getByRole("button", { name: "Найти" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(tag)}`));
  await expect(search.getByRole("status").filter({ hasText: "Найдено 3 производителя" })).toBeVisible();
  const hits = search.locator("ol.cards > li");
  await expect(hits.filter({ hasText: `${tag} Урал` })).toContainText("✓ Приглашён");
  await search.getByRole("button", { name: "Добавить фильтр: Москва" }).click();
  await expect(page).toHaveURL(/region=RU-MOW/);
  await expect(hits).toHaveCount(1);
  await hits.getByRole("button", { name: `Пригласить: ${tag} Москва` }).click();
  await expect(hits.getByText("✓ Приглашён")).toBeVisible();
  // The same manufacturer in the recommendations is marked invited at once.
  await expect(recommended.nth(1).getByText("✓ Приглашён")).toBeVisible();
  await screenshot(page, "04-who-fits-invited");
  await expectAccessible(page);

  // After a reload the invitations come back from the API.
  await page.reload();
  await expect(recommended.nth(0).getByText("✓ Приглашён")).toBeVisible();
  await expect(recommended.nth(1).getByText("✓ Приглашён")).toBeVisible();
  await expect(excluded.getByRole("button", { name: `Пригласить: ${tag} Без AS9100` })).toBeVisible();

  // Back to the draft: the invited manufacturers are listed, and the invited-only order can be published.
  await page.getByRole("link", { name: "К заказу" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Заказ «${title}»` })).toBeVisible();
  await expect(page.getByText(/^Приглашены 2 производителя: /)).toContainText(`${tag} Урал`);
  await page.getByRole("button", { name: /Проверьте заказ/ }).click();
  await expect(page.locator(".summary-list")).toContainText("Только приглашённые");
  await page.getByRole("button", { name: "Сохранить и опубликовать" }).click();
  await expect(page).toHaveURL(/\/my\/orders$/);
  await expect(page.locator(".order-row").filter({ hasText: title })).toContainText("Приём предложений");
  await page.getByRole("link", { name: `Кто подходит: ${title}` }).click();
  await expect(recommended.nth(0).getByText("✓ Приглашён")).toBeVisible();

  // In English.
  await page.getByRole("combobox", { name: "Язык" }).selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: `Who fits “${title}”` })).toBeVisible();
  await expect(recommended.nth(0).getByText("✓ Invited")).toBeVisible();
  await expect(recommended.nth(0).getByRole("row", { name: /Close to delivery/ })).toContainText("100% × weight 1");
  await expect(excluded).toContainText("Fails the condition: Certifications");
  await expect(excluded.getByTestId("exclusion-reason")).toHaveText("AS9100 certification is required; the profile has none.");
  await screenshot(page, "04-who-fits-en");
  await page.context().close();
});

test("a public order takes no invitations: the page says so and offers none", async ({
  browser,
  api,
}) => {
  const tag = unique("Открытый");
  await manufacturerWithProfile(api, { name: `${tag} Цех`, processes: ["FORGING"] });
  await waitForSearch(api, tag, 1);
  const buyer = await signUp(api, { kind: "BUYER" });
  const created = await api.as(buyer.token).gql(
    `mutation($input: CreateOrderInput!) { createOrder(input: $input) { __typename ... on OrderSuccess { order { id } } } }`,
    {
      input: {
        title: unique("Поковка "),
        process: "FORGING",
        material: "Сталь 40Х",
        quantity: 100,
        needBy: isoDate(40 * day),
        deliveryRegion: "RU-MOW",
        budgetMin: { amount: "100000", currency: "RUB" },
        budgetMax: { amount: "200000", currency: "RUB" },
        biddingDeadline: new Date(Date.now() + 14 * day).toISOString(),
      },
    },
  );
  const page = await pageSignedIn(browser, buyer.token);
  await page.goto(`/orders/${created.createOrder.order.id}/suppliers?q=${encodeURIComponent(tag)}`);
  await expect(page.getByText("Заказ открытый: его видят все производители, приглашения не нужны.")).toBeVisible();
  const hit = page.locator("ol.cards > li").filter({ hasText: `${tag} Цех` });
  await expect(hit.getByRole("link", { name: `${tag} Цех` })).toBeVisible();
  await expect(page.getByRole("button", { name: /Пригласить/ })).toHaveCount(0);
  await screenshot(page, "04-who-fits-public");
  await expectAccessible(page);
  await page.context().close();
});

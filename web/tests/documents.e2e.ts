// Issue 22, documents: the documents wait for both parties' legal details (the room says whose); the buyer states
// its own on the company page, and the worker then issues the contract and the escrow invoice, each downloadable as
// a PDF with its SHA-256 (every download audited, shown in the document's log); the buyer attaches a detached
// e-signature and the manufacturer sees it with who attached it and when; English copies on request; a file that
// is not a CMS signature is refused at the field.
import { createHash } from "node:crypto";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { unique } from "./support/api";
import { awardedContract } from "./support/contractRoom";
import { BANK, settlementAccount, stateLegalDetails, validInn, validOgrn } from "./support/legal";

// A DER CMS ContentInfo begins with a SEQUENCE (0x30); the platform stores signatures without verifying them.
const SIGNATURE = Buffer.concat([Buffer.from("30820100", "hex"), Buffer.from("06092a864886f70d010702", "hex"), Buffer.alloc(250)]);

test("the parties download the contract's documents, sign one and ask for English copies", async ({ browser, api }) => {
  test.setTimeout(120_000);
  const title = unique("Вал-шестерня ");
  const contract = await awardedContract(api, title);
  const room = `/contracts/${contract.id}`;

  const buyerPage = await pageSignedIn(browser, contract.buyer.token);
  await buyerPage.goto(room);
  const panel = buyerPage.getByRole("region", { name: "Документы" });
  const documents = panel.getByTestId("contract-document");
  // No legal details yet: the room says whose the documents wait for, and issues nothing.
  await expect(panel.getByTestId("documents-await-details")).toContainText(contract.buyer.organisationName);
  await expect(panel.getByTestId("documents-await-details")).toContainText(contract.maker.organisationName);
  await expect(documents).toHaveCount(0);
  await screenshot(buyerPage, "documents-00-awaiting-details");
  await stateLegalDetails(api.as(contract.maker.token), contract.maker.organisationId);

  // The buyer's admin states its details on the company page; a slipped digit is refused at its field first.
  await buyerPage.goto(`/company/${contract.buyer.organisationId}`);
  const section = buyerPage.getByTestId("legal-details");
  await expect(section.getByTestId("legal-details-missing")).toBeVisible();
  await section.getByRole("button", { name: "Указать реквизиты" }).click();
  const details = buyerPage.getByRole("form", { name: "Реквизиты компании" });
  const inn = validInn();
  const account = settlementAccount();
  const slipped = account.slice(0, 12) + String((Number(account[12]) + 1) % 10) + account.slice(13);
  await details.getByLabel("ИНН").fill(inn);
  await details.getByLabel("КПП").fill("772801001");
  await details.getByLabel("ОГРН", { exact: true }).fill(validOgrn());
  await details.getByLabel("Юридический адрес").fill("119021, г. Москва, ул. Льва Толстого, д. 16");
  await details.getByLabel("ФИО подписанта").fill("Петрова Анна Сергеевна");
  await details.getByLabel("Должность").fill("Генеральный директор");
  await details.getByLabel("Наименование банка").fill(BANK.bankName);
  await details.getByLabel("БИК").fill(BANK.bik);
  await details.getByLabel("Расчётный счёт").fill(slipped);
  await details.getByLabel("Корреспондентский счёт").fill(BANK.correspondentAccount);
  await details.getByRole("button", { name: "Сохранить реквизиты" }).click();
  await expect(details.locator(".error-summary")).toContainText("Расчётный счёт не сходится с БИК");
  await expect(details.getByLabel("Расчётный счёт")).toHaveAttribute("aria-invalid", "true");
  await screenshot(buyerPage, "documents-01-legal-details-refused");
  await details.getByLabel("Расчётный счёт").fill(account);
  await details.getByRole("button", { name: "Сохранить реквизиты" }).click();
  await expect(section.getByTestId("legal-details-check")).toHaveText("Ждут проверки оператором");
  await expect(section).toContainText(inn);
  await expect(section).toContainText(account);
  await screenshot(buyerPage, "documents-02-legal-details");

  // An operator finds them in the verification queue and marks them checked; the company page says so.
  const operatorPage = await pageSignedIn(browser, contract.operatorToken);
  await operatorPage.goto("/operator/verification");
  const queue = operatorPage.getByTestId("legal-details-to-check");
  const entry = queue.getByRole("listitem").filter({ hasText: contract.buyer.organisationName });
  await expect(entry).toContainText(`${inn} / КПП 772801001`);
  await expect(entry).toContainText("Корреспондентский счёт30101810145250000974");
  await expect(entry).toContainText(account);
  await screenshot(operatorPage, "documents-02-operator-legal-details");
  await entry.getByRole("button", { name: `Реквизиты ${contract.buyer.organisationName} проверены` }).click();
  // Checked, the card stays where it stands, marked with the time the API gives; the list drops it when next loaded.
  await expect(entry.getByRole("status")).toContainText(/^Проверено \d\d\.\d\d\.\d{4}, \d\d:\d\d$/);
  await expect(entry.getByRole("button")).toHaveCount(0);
  await operatorPage.reload();
  await expect(queue.getByRole("listitem").filter({ hasText: contract.buyer.organisationName })).toHaveCount(0);
  await buyerPage.reload();
  await expect(section.getByTestId("legal-details-check")).toContainText("Проверены оператором");

  await buyerPage.goto(room);
  await expect(documents).toHaveCount(2, { timeout: 30_000 });
  await expect(panel.getByTestId("documents-await-details")).toHaveCount(0);
  await expect(documents.nth(0)).toContainText(`Договор № ${contract.paymentReference}`);
  await expect(documents.nth(1)).toContainText("Счёт на оплату (эскроу)");
  await expect(panel).toContainText("подпись не проверяется платформой");

  // The button asks for a link (audited) and downloads the PDF whose hash the panel shows.
  const downloading = buyerPage.waitForEvent("download");
  await documents.nth(0).getByRole("button", { name: /^Скачать contract-/ }).click();
  const download = await downloading;
  const chunks: Buffer[] = [];
  for await (const chunk of (await download.createReadStream()) ?? []) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  expect(body.subarray(0, 4).toString()).toBe("%PDF");
  await expect(documents.nth(0).locator("code")).toHaveText(createHash("sha256").update(body).digest("hex"));
  const log = documents.nth(0).getByTestId("document-log");
  await expect(log).toContainText("Журнал: 1 запись");
  await log.getByText("Журнал").click();
  await expect(log).toContainText(`Анна Петрова (${contract.buyer.organisationName}) скачал(а)`);

  // A drawing is not a signature: refused at the field, nothing attached.
  await documents.nth(0).getByText("Приложить электронную подпись").click();
  const form = documents.nth(0).getByRole("form", { name: "Приложить электронную подпись" });
  await form.getByLabel("Файл открепленной подписи").setInputFiles({
    name: "чертёж.sig",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("%PDF-1.7 a drawing"),
  });
  await form.getByRole("button", { name: "Приложить подпись" }).click();
  // Named .sig but not a signature by its content (FileRejectedError.reason UNKNOWN_CONTENT), said in those words.
  await expect(form.getByRole("alert")).toContainText(
    "Содержимое файла не похоже ни на один допустимый формат (тип определяется по содержимому, а не по имени): SIG, P7S.",
  );
  await expect(documents.nth(0).getByTestId("document-signature")).toHaveCount(0);

  await form.getByLabel("Файл открепленной подписи").setInputFiles({
    name: "договор.sig",
    mimeType: "application/pkcs7-signature",
    buffer: SIGNATURE,
  });
  await form.getByRole("button", { name: "Приложить подпись" }).click();
  const signature = documents.nth(0).getByTestId("document-signature");
  await expect(signature).toContainText(`Подпись ${contract.buyer.organisationName} (Анна Петрова`);
  await expect(signature.getByRole("button", { name: "договор.sig" })).toBeVisible();

  // The manufacturer sees the same documents and the buyer's signature.
  const makerPage = await pageSignedIn(browser, contract.maker.token);
  await makerPage.goto(room);
  const makerDocuments = makerPage.getByRole("region", { name: "Документы" }).getByTestId("contract-document");
  await expect(makerDocuments).toHaveCount(2, { timeout: 30_000 });
  await expect(makerDocuments.nth(0).getByTestId("document-signature")).toContainText(contract.buyer.organisationName);

  // English copies on request: issued by the worker, they join the list.
  await buyerPage.getByRole("button", { name: "Запросить копии на английском" }).click();
  await expect(panel.getByRole("status")).toHaveText("Английские копии запрошены: они появятся здесь через минуту.");
  await buyerPage.reload();
  await expect(documents).toHaveCount(4, { timeout: 30_000 });
  await expect(documents.nth(2)).toContainText("английский");
  await documents.nth(0).getByText(/^Журнал/).click();
  await expect(documents.nth(0).getByTestId("document-log")).toContainText("приложил(а) подпись");
  await panel.scrollIntoViewIfNeeded();
  await screenshot(buyerPage, "documents-03-room");
  await expectAccessible(buyerPage);
});

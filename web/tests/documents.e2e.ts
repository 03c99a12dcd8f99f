// Issue 22, documents: the contract room lists what the exchange issued at award (the contract and the escrow
// invoice, rendered by the worker a moment after), each downloadable as a PDF with its SHA-256; the buyer attaches
// a detached e-signature and the manufacturer sees it with who attached it and when; English copies on request; a
// file that is not a CMS signature is refused at the field.
import { createHash } from "node:crypto";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { unique } from "./support/api";
import { awardedContract } from "./support/contractRoom";

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
  await expect(documents).toHaveCount(2, { timeout: 30_000 });
  await expect(documents.nth(0)).toContainText(`Договор № ${contract.paymentReference}`);
  await expect(documents.nth(1)).toContainText("Счёт на оплату (эскроу)");
  await expect(panel).toContainText("подпись не проверяется платформой");

  // The link serves the PDF whose hash the panel shows.
  const link = documents.nth(0).getByRole("link", { name: /^Скачать contract-/ });
  const pdf = await buyerPage.request.get((await link.getAttribute("href")) ?? "");
  expect(pdf.status()).toBe(200);
  const body = await pdf.body();
  expect(body.subarray(0, 4).toString()).toBe("%PDF");
  await expect(documents.nth(0).locator("code")).toHaveText(createHash("sha256").update(body).digest("hex"));

  // A drawing is not a signature: refused at the field, nothing attached.
  await documents.nth(0).getByText("Приложить электронную подпись").click();
  const form = documents.nth(0).getByRole("form", { name: "Приложить электронную подпись" });
  await form.getByLabel("Файл открепленной подписи").setInputFiles({
    name: "чертёж.sig",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("%PDF-1.7 a drawing"),
  });
  await form.getByRole("button", { name: "Приложить подпись" }).click();
  await expect(form.getByRole("alert")).toContainText("Этот тип файла не принимается");
  await expect(documents.nth(0).getByTestId("document-signature")).toHaveCount(0);

  await form.getByLabel("Файл открепленной подписи").setInputFiles({
    name: "договор.sig",
    mimeType: "application/pkcs7-signature",
    buffer: SIGNATURE,
  });
  await form.getByRole("button", { name: "Приложить подпись" }).click();
  const signature = documents.nth(0).getByTestId("document-signature");
  await expect(signature).toContainText(`Подпись ${contract.buyer.organisationName} (Анна Петрова`);
  await expect(signature.getByRole("link", { name: "договор.sig" })).toBeVisible();

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
  await panel.scrollIntoViewIfNeeded();
  await screenshot(buyerPage, "documents-01-room");
  await expectAccessible(buyerPage);
});

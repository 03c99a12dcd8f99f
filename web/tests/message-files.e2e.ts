// Files in the contract room's messages: the buyer sends a revised drawing (a real PDF) with a note; an archive
// dropped beside it is refused with its reason at its own chip and nothing is posted, the note and the drawing
// stay; with the archive removed the message goes. The manufacturer, watching the room, sees the message and its
// file arrive without reload, with the file's format and size, and downloads it: the same bytes.
import { readFile } from "node:fs/promises";
import { crc32 } from "node:zlib";
import type { Page } from "@playwright/test";
import { unique } from "./support/api";
import { awardedContract } from "./support/contractRoom";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";

const MESSAGES = `query($id: ID!) { contractMessages(contractId: $id) { edges { node { body attachments { name } } } } }`;

/** A real ZIP archive (one stored entry, part.stl): refused whatever it is called. */
function zipWithStl(): Buffer {
  const name = Buffer.from("part.stl");
  const data = Buffer.from("solid cube\nendsolid cube\n");
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

async function dropOnComposer(page: Page, name: string, bytes: Buffer, type: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, data, type }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], name, { type }));
      return transfer;
    },
    { name, data: Array.from(bytes), type },
  );
  const composer = page.getByTestId("message-composer");
  await composer.dispatchEvent("dragover", { dataTransfer: transfer });
  await composer.dispatchEvent("drop", { dataTransfer: transfer });
}

test("the buyer sends a revised drawing in the contract room; an archive is refused; the manufacturer downloads the drawing", async ({
  browser,
  api,
}) => {
  test.setTimeout(180_000);
  const drawing = await readFile(new URL("./fixtures/housing-drawing.pdf", import.meta.url));
  const contract = await awardedContract(api, unique("Корпус насоса "));
  const room = `/contracts/${contract.id}`;

  // The manufacturer has the room open: what the buyer sends arrives here live.
  const makerPage = await pageSignedIn(browser, contract.maker.token);
  await makerPage.goto(room);
  await expect(makerPage.getByText("Сообщений пока нет.")).toBeVisible();

  const buyerPage = await pageSignedIn(browser, contract.buyer.token);
  await buyerPage.goto(room);
  const composer = buyerPage.getByTestId("message-composer");
  const fileInput = composer.getByLabel("Файлы к сообщению");
  await expect(composer).toContainText(
    "до 10 файлов, каждый до 32 МБ, вместе до 32 МБ. Форматы: PDF, STEP, IGES, STL, DXF, PNG, JPEG (определяются по содержимому). Архивы не принимаются.",
  );

  // A note, the drawing by the file button, an archive dropped onto the composer: two chips, named and sized.
  const note = "Ред. B чертежа: допуск на отверстие Ø12 изменён на H7, остальное без изменений.";
  await composer.getByLabel("Сообщение для другой стороны").fill(note);
  await fileInput.setInputFiles({ name: "housing-drawing-rev-B.pdf", mimeType: "application/pdf", buffer: drawing });
  await dropOnComposer(buyerPage, "всё-одним-архивом.zip", zipWithStl(), "application/zip");
  const chips = composer.getByRole("list", { name: "Файлы, которые уйдут с сообщением" }).getByRole("listitem");
  await expect(chips).toHaveCount(2);
  await expect(chips.nth(0)).toContainText(`housing-drawing-rev-B.pdf ${drawing.length} Б`);
  await expect(chips.nth(1)).toContainText("всё-одним-архивом.zip");
  await expect(composer.getByRole("status")).toHaveText("Добавлено: всё-одним-архивом.zip.");
  await screenshot(buyerPage, "message-files-01-composer-chips");
  await expectAccessible(buyerPage);

  // Sent: the API refuses the archive. Its reason is at its chip and in the summary; nothing is posted; the note
  // and both files stay.
  await composer.getByRole("button", { name: "Отправить", exact: true }).click();
  const archiveWords =
    "Архивы (ZIP) не принимаются: распакуйте архив и загрузите файлы по отдельности. Допустимые форматы: PDF, STEP, IGES, STL, DXF, PNG, JPEG.";
  await expect(chips.nth(1).locator(".field-message")).toHaveText(archiveWords);
  await expect(buyerPage.getByRole("alert")).toContainText(archiveWords);
  await expect(composer.getByRole("status")).toHaveText("Сообщение не отправлено: файл «всё-одним-архивом.zip» не принят.");
  await expect(chips.nth(0).locator(".field-message")).toHaveCount(0);
  await expect(composer.getByLabel("Сообщение для другой стороны")).toHaveValue(note);
  await expect(chips).toHaveCount(2);
  const none = await api.as(contract.buyer.token).gql(MESSAGES, { id: contract.id });
  expect(none.contractMessages.edges).toEqual([]);
  await expect(makerPage.getByText("Сообщений пока нет.")).toBeVisible();
  await screenshot(buyerPage, "message-files-02-archive-refused");
  await expectAccessible(buyerPage);

  // The archive removed (by keyboard), the message goes with the drawing.
  await composer.getByRole("button", { name: "Убрать файл всё-одним-архивом.zip" }).focus();
  await buyerPage.keyboard.press("Enter");
  await expect(chips).toHaveCount(1);
  await expect(composer.getByRole("status")).toHaveText("Убран файл всё-одним-архивом.zip.");
  await expect(fileInput).toBeFocused();
  await composer.getByRole("button", { name: "Отправить", exact: true }).click();
  await expect(composer.getByRole("status")).toHaveText("Сообщение отправлено.");
  await expect(chips).toHaveCount(0);
  await expect(composer.getByLabel("Сообщение для другой стороны")).toHaveValue("");
  const buyerAttachments = buyerPage.getByRole("list", { name: "Вложения" });
  await expect(buyerAttachments).toContainText(`housing-drawing-rev-B.pdf (PDF, ${drawing.length} Б)`);
  const posted = await api.as(contract.buyer.token).gql(MESSAGES, { id: contract.id });
  expect(posted.contractMessages.edges).toEqual([
    { node: { body: note, attachments: [{ name: "housing-drawing-rev-B.pdf" }] } },
  ]);

  // The manufacturer: the message and its file arrived without reload; the download asks for a link and brings
  // the very bytes the buyer sent.
  const makerMessages = makerPage.getByRole("list", { name: "Переписка" });
  await expect(makerMessages).toContainText(note);
  const attachment = makerMessages.getByRole("list", { name: "Вложения" }).getByRole("listitem");
  await expect(attachment).toContainText(`housing-drawing-rev-B.pdf (PDF, ${drawing.length} Б)`);
  // The room's live region said so.
  await expect(makerPage.getByRole("status").filter({ hasText: /^Новое сообщение$/ })).toBeVisible();
  await screenshot(makerPage, "message-files-03-maker-room");
  await expectAccessible(makerPage);
  const downloading = makerPage.waitForEvent("download");
  await attachment.getByRole("button", { name: "Скачать housing-drawing-rev-B.pdf" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("housing-drawing-rev-B.pdf");
  const bytes = await readFile((await download.path())!);
  expect(bytes.length).toBe(drawing.length);
  expect(bytes.equals(drawing)).toBe(true);
});

/** A real, large PDF (a catalog, then comment lines as padding, the trailer and %%EOF): what a scanned report
 * weighs, and accepted by the server's sniffing as a PDF. */
function largePdf(bytes: number): Buffer {
  const head = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n";
  const tail = "trailer << /Root 1 0 R >>\n%%EOF\n";
  const line = `% ${"протокол измерений первого образца ".repeat(3)}\n`;
  const padding = Buffer.from(line.repeat(Math.ceil(bytes / Buffer.byteLength(line)))).subarray(0, bytes);
  return Buffer.concat([Buffer.from(head), padding, Buffer.from(tail)]);
}

test("the manufacturer's inspection report uploads with its progress shown; a cancelled upload posts nothing", async ({
  browser,
  api,
}) => {
  test.setTimeout(180_000);
  const report = largePdf(6 * 1024 * 1024);
  const contract = await awardedContract(api, unique("Вал-шестерня "));
  const makerPage = await pageSignedIn(browser, contract.maker.token);
  await makerPage.goto(`/contracts/${contract.id}`);
  const composer = makerPage.getByTestId("message-composer");
  await composer.getByLabel("Сообщение для другой стороны").fill("Протокол измерений первого образца, 12 размеров.");
  await composer.getByLabel("Файлы к сообщению").setInputFiles({ name: "FAI-протокол.pdf", mimeType: "application/pdf", buffer: report });
  await expect(composer.getByRole("list", { name: "Файлы, которые уйдут с сообщением" })).toContainText("FAI-протокол.pdf 6 МБ");

  // A slow uplink (384 KB/s): the bar and the figures move; the upload is cancelled half-way.
  const cdp = await makerPage.context().newCDPSession(makerPage);
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 384 * 1024,
  });
  await composer.getByRole("button", { name: "Отправить", exact: true }).click();
  const bar = composer.getByRole("progressbar", { name: "Отправка файлов" });
  await expect(composer.locator(".upload-progress")).toContainText(/Отправка: [\d,]+\s(КБ|МБ) из 6\sМБ \(\d+\s%\)/);
  await expect.poll(async () => Number(await bar.getAttribute("value")), { timeout: 20_000 }).toBeGreaterThan(0.1);
  await screenshot(makerPage, "message-files-04-upload-progress");
  await expectAccessible(makerPage);
  await composer.getByRole("button", { name: "Отменить отправку" }).click();
  await expect(composer.getByRole("status")).toHaveText("Отправка отменена: текст и файлы остались в форме.");
  await expect(composer.getByLabel("Сообщение для другой стороны")).toHaveValue("Протокол измерений первого образца, 12 размеров.");
  await expect(composer.getByRole("list", { name: "Файлы, которые уйдут с сообщением" })).toContainText("FAI-протокол.pdf");
  const none = await api.as(contract.maker.token).gql(MESSAGES, { id: contract.id });
  expect(none.contractMessages.edges).toEqual([]);

  // Sent again at full speed: posted, and the buyer gets the very bytes.
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await composer.getByRole("button", { name: "Отправить", exact: true }).click();
  await expect(composer.getByRole("status")).toHaveText("Сообщение отправлено.");
  const buyerPage = await pageSignedIn(browser, contract.buyer.token);
  await buyerPage.goto(`/contracts/${contract.id}`);
  const attachment = buyerPage.getByRole("list", { name: "Вложения" }).getByRole("listitem");
  await expect(attachment).toContainText("FAI-протокол.pdf (PDF, 6 МБ)");
  const downloading = buyerPage.waitForEvent("download");
  await attachment.getByRole("button", { name: "Скачать FAI-протокол.pdf" }).click();
  const download = await downloading;
  const bytes = await readFile((await download.path())!);
  expect(bytes.length).toBe(report.length);
  expect(bytes.equals(report)).toBe(true);
});

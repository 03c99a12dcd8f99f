// Issue 18 in the browser: a buyer attaches a STEP model and a PDF drawing to an order and requires an NDA; a
// manufacturer meets the NDA gate, accepts it and downloads the drawing; the buyer sees the acceptance and the
// download in the log. A zip named .stl is refused at the field and adds nothing. The part size the buyer gives
// leaves out, in "who fits", a shop whose machines are too small, and says so.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { crc32 } from "node:zlib";
import type { Page } from "@playwright/test";
import { signUp, unique } from "./support/api";
import { expect, expectAccessible, pageSignedIn, screenshot, test } from "./support/fixtures";
import { dateIn, publishOrder } from "./support/maker";
import { manufacturerWithProfile } from "./support/manufacturers";

// The same small, real files as the API's tests (tests/files_samples.py): what the server's sniffing accepts.
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const STEP = Buffer.from(
  "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('housing'),'2;1');\nENDSEC;\nDATA;\n" +
    "#1=CARTESIAN_POINT('',(0.,0.,0.));\nENDSEC;\nEND-ISO-10303-21;\n",
);

/** A real ZIP archive (one stored entry, part.stl): an archive the server must refuse whatever its name. */
// An ASCII STL whose end never arrived: facets, no endsolid.
const TRUNCATED_STL = Buffer.from(
  "solid part\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n   vertex 1 0 0\n   vertex 0 1 0\n  endloop\n endfacet\n",
);

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

// A PDF with an auto-run action: accepted, stored as uploaded, flagged as active content.
const ACTIVE_PDF = Buffer.from(
  "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);

const NDA_TEXT =
  "Производитель обязуется не раскрывать чертежи и модели третьим лицам и использовать их только для расчёта " +
  "и выполнения этого заказа. Срок действия — три года.";

async function dropFile(page: Page, name: string, bytes: Buffer, type: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, data, type }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], name, { type }));
      return transfer;
    },
    { name, data: Array.from(bytes), type },
  );
  const zone = page.getByRole("form", { name: "Приложить файл" }).getByTestId("dropzone");
  await zone.dispatchEvent("dragover", { dataTransfer: transfer });
  await zone.dispatchEvent("drop", { dataTransfer: transfer });
}

test("a buyer attaches a model and a drawing behind an NDA; a manufacturer accepts it and downloads the drawing", async ({
  browser,
  api,
}) => {
  const buyer = await signUp(api, { kind: "BUYER", fullName: "Ирина Конструкторова" });
  const maker = await signUp(api, { kind: "MANUFACTURER", name: `ООО «${unique("Фреза ")}»` });
  const title = unique("Корпус датчика ");
  const orderId = await publishOrder(api, buyer, { title });

  // The buyer: no files yet; attach the STEP model by the file input, the PDF drawing by drag and drop.
  const page = await pageSignedIn(browser, buyer.token);
  await page.goto(`/orders/${orderId}`);
  const panel = page.getByRole("region", { name: "Чертежи и модели" });
  await expect(panel.getByText("К заказу ещё не приложено ни одного файла.")).toBeVisible();
  const upload = page.getByRole("form", { name: "Приложить файл" });
  await upload.getByLabel("Что это за файл").selectOption({ label: "3D-модель" });
  await upload.getByLabel("Файл", { exact: true }).setInputFiles({ name: "housing.step", mimeType: "application/step", buffer: STEP });
  await expect(upload.getByText(/^Выбран: housing\.step \(\d+ Б\)$/)).toBeVisible();
  await upload.getByLabel("Комментарий").fill("Корпус, исполнение 01");
  await upload.getByRole("button", { name: "Загрузить" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Файл «housing.step» приложен." })).toBeVisible();

  await upload.getByLabel("Что это за файл").selectOption({ label: "Чертёж" });
  await dropFile(page, "drawing.pdf", PDF, "application/pdf");
  await expect(upload.getByText(/^Выбран: drawing\.pdf/)).toBeVisible();
  await upload.getByRole("button", { name: "Загрузить" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Файл «drawing.pdf» приложен." })).toBeVisible();

  const files = panel.getByTestId("order-file");
  await expect(files).toHaveCount(2);
  await expect(files.nth(0)).toContainText("housing.step");
  await expect(files.nth(0)).toContainText("3D-модель");
  await expect(files.nth(0)).toContainText(`STEP · ${STEP.length} Б · ред. 1`);
  await expect(files.nth(0)).toContainText("Корпус, исполнение 01");
  await expect(files.nth(1)).toContainText("drawing.pdf");
  await expect(files.nth(1)).toContainText(`PDF · ${PDF.length} Б · ред. 1`);

  // An archive named .stl: refused at the file field in its own words (FileRejectedError.reason ARCHIVE, with its
  // kind and the formats the exchange takes), nothing added.
  await upload.getByLabel("Что это за файл").selectOption({ label: "3D-модель" });
  await upload.getByLabel("Файл", { exact: true }).setInputFiles({ name: "part.stl", mimeType: "model/stl", buffer: zipWithStl() });
  await upload.getByRole("button", { name: "Загрузить" }).click();
  const fieldError = upload.locator(".field-error").filter({ has: page.getByLabel("Файл", { exact: true }) });
  const archiveWords =
    "Архивы (ZIP) не принимаются: распакуйте архив и загрузите файлы по отдельности. " +
    "Допустимые форматы: PDF, STEP, IGES, STL, DXF, PNG, JPEG.";
  await expect(fieldError.locator(".field-message")).toHaveText(archiveWords);
  await expect(upload.getByRole("alert")).toContainText("Архивы (ZIP) не принимаются");
  await expect(page.getByLabel("Файл", { exact: true })).toHaveAttribute("aria-invalid", "true");
  // The previous upload's «приложен» no longer stands beside the refusal.
  await expect(panel.getByText("Файл «drawing.pdf» приложен.")).toHaveCount(0);
  await screenshot(page, "18-files-refused");

  // A truncated STL (no endsolid) is not "a type not accepted": the page says it is cut short and to upload it again.
  await upload.getByLabel("Файл", { exact: true }).setInputFiles({ name: "part.stl", mimeType: "model/stl", buffer: TRUNCATED_STL });
  await upload.getByRole("button", { name: "Загрузить" }).click();
  await expect(fieldError.locator(".field-message")).toHaveText("Файл STL обрезан (нет endsolid) — загрузите его заново.");
  await expect(upload.getByRole("alert")).toContainText("Файл STL обрезан (нет endsolid)");
  await expect(upload.getByText("Этот тип файла не принимается")).toHaveCount(0);
  await screenshot(page, "18-files-truncated");
  await page.reload();
  await expect(page.getByRole("region", { name: "Чертежи и модели" }).getByTestId("order-file")).toHaveCount(2);

  // The NDA: required from now on.
  const nda = page.getByRole("region", { name: "Соглашение о неразглашении" });
  await expect(nda.getByText("Соглашение не требуется: файлы видны всем, кому виден заказ.")).toBeVisible();
  await nda.getByLabel("Текст соглашения").fill(NDA_TEXT);
  await nda.getByRole("button", { name: "Требовать соглашение" }).click();
  await expect(nda.getByText(/^Действует редакция 1 от /)).toBeVisible();
  await expect(nda.getByText("Пока никто не принял соглашение.")).toBeVisible();
  await screenshot(page, "18-files-buyer");
  await expectAccessible(page);

  // The manufacturer: the NDA gate, no files until accepted.
  const shop = await pageSignedIn(browser, maker.token);
  await shop.goto(`/orders/${orderId}`);
  const shopPanel = shop.getByRole("region", { name: "Чертежи и модели" });
  await expect(shopPanel.getByRole("heading", { name: "Файлы заказа закрыты соглашением о неразглашении" })).toBeVisible();
  await expect(shopPanel.getByLabel("Текст соглашения")).toHaveText(NDA_TEXT);
  await expect(shopPanel.getByTestId("order-file")).toHaveCount(0);
  await expect(shopPanel.getByRole("form")).toHaveCount(0);
  await screenshot(shop, "18-files-nda-gate");
  await expectAccessible(shop);
  await shopPanel.getByRole("button", { name: "Принимаю соглашение (редакция 1)" }).click();
  await expect(shopPanel.getByRole("status").filter({ hasText: "Соглашение принято. Файлы открыты." })).toBeVisible();
  await expect(shopPanel.getByTestId("order-file")).toHaveCount(2);
  await expect(shopPanel.getByRole("button", { name: /Новая редакция/ })).toHaveCount(0);

  const downloading = shop.waitForEvent("download");
  await shopPanel.getByRole("button", { name: "Скачать: drawing.pdf" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("drawing.pdf");
  expect(await readFile(await download.path())).toEqual(PDF);
  await screenshot(shop, "18-files-granted");
  await expectAccessible(shop);

  // The buyer: the acceptance (who, which version) and the download in the log.
  await page.reload();
  const acceptances = page.getByRole("table", { name: "Кто принял" });
  await expect(acceptances.getByRole("row", { name: new RegExp(maker.organisationName.replace(/[«»]/g, ".")) })).toContainText(
    "1 (текущая)",
  );
  const log = page.getByRole("table", { name: "Журнал скачиваний" });
  const row = log.getByRole("row").filter({ hasText: maker.organisationName });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("drawing.pdf (ред. 1)");
  await expect(row).not.toContainText("не скачан");
  await screenshot(page, "18-files-audit");
  await expectAccessible(page);

  // A new revision of the drawing (a PDF with an auto-run action): flagged, the first one in its history.
  const filesNow = page.getByRole("region", { name: "Чертежи и модели" });
  await filesNow.getByRole("button", { name: "Загрузить новую редакцию: drawing.pdf" }).click();
  const revision = page.getByRole("form", { name: "Новая редакция файла «drawing.pdf»" });
  await revision
    .getByLabel("Файл", { exact: true })
    .setInputFiles({ name: "drawing-b.pdf", mimeType: "application/pdf", buffer: ACTIVE_PDF });
  await revision.getByLabel("Комментарий").fill("Изменён допуск на отверстие Ø12");
  await revision.getByRole("button", { name: "Загрузить редакцию" }).click();
  await expect(filesNow.getByRole("status").filter({ hasText: "Файл «drawing-b.pdf» приложен." })).toBeVisible();
  await expect(filesNow.getByTestId("order-file")).toHaveCount(2);
  const drawing = filesNow.getByTestId("order-file").filter({ hasText: "drawing-b.pdf" });
  await expect(drawing).toContainText("ред. 2");
  await expect(drawing).toContainText("Изменён допуск на отверстие Ø12");
  await expect(drawing.getByRole("note")).toContainText("PDF со встроенными сценариями или автозапуском");
  await drawing.getByText("История редакций (1)").click();
  await expect(drawing.getByRole("list", { name: "Прежние редакции файла drawing-b.pdf" })).toContainText(
    "drawing.pdf · ред. 1",
  );

  // The worker never renders a PDF with scripts: the page says so in Russian, from the API's code (ACTIVE_CONTENT).
  const scripted = page.getByTestId("order-file").filter({ hasText: "drawing-b.pdf" }).getByTestId("preview-failure");
  await expect(async () => {
    await page.reload();
    await expect(scripted).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 40_000 });
  await expect(scripted).toHaveText(
    "Предпросмотра нет: в PDF есть JavaScript или автозапуск, такие файлы мы не показываем. Скачайте его, чтобы открыть.",
  );
  await scripted.scrollIntoViewIfNeeded();
  await screenshot(page, "18-files-preview-refused");

  // A changed NDA is a new version: the earlier acceptance is marked so, and the shop is gated again.
  const ndaNow = page.getByRole("region", { name: "Соглашение о неразглашении" });
  await ndaNow.getByLabel("Текст соглашения").fill(`${NDA_TEXT} Редакция с замечаниями юристов.`);
  await ndaNow.getByRole("button", { name: "Сохранить новую редакцию" }).click();
  await expect(ndaNow.getByRole("status")).toHaveText("Соглашение сохранено.");
  await expect(ndaNow.getByText(/^Действует редакция 2 от /)).toBeVisible();
  await expect(ndaNow.getByRole("table", { name: "Кто принял" })).toContainText("1 (прежняя)");
  await screenshot(page, "18-files-revision");
  await expectAccessible(page);
  // The shop's page still lists the files: a download now is refused (NDA_REQUIRED), and the new version shows.
  await shopPanel.getByRole("button", { name: "Скачать: drawing.pdf" }).click();
  await expect(shopPanel.getByRole("button", { name: "Принимаю соглашение (редакция 2)" })).toBeVisible();
  await expect(shopPanel.getByRole("alert").filter({ hasText: "Сначала примите соглашение о неразглашении" })).toBeVisible();
  await expect(shopPanel.getByTestId("order-file")).toHaveCount(0);

  // The buyer changes it once more while the shop reads version 2: accepting 2 is refused and 3 is shown.
  await ndaNow.getByLabel("Текст соглашения").fill(`${NDA_TEXT} Редакция 3.`);
  await ndaNow.getByRole("button", { name: "Сохранить новую редакцию" }).click();
  await expect(ndaNow.getByText(/^Действует редакция 3 от /)).toBeVisible();
  await shopPanel.getByRole("button", { name: "Принимаю соглашение (редакция 2)" }).click();
  await expect(
    shopPanel.getByRole("alert").filter({ hasText: "Текст соглашения изменился: прочтите новую редакцию" }),
  ).toBeVisible();
  await expect(shopPanel.getByLabel("Текст соглашения")).toHaveText(`${NDA_TEXT} Редакция 3.`);
  await screenshot(shop, "18-files-nda-changed");
  await expectAccessible(shop);
  await shopPanel.getByRole("button", { name: "Принимаю соглашение (редакция 3)" }).click();
  await expect(shopPanel.getByRole("status").filter({ hasText: "Соглашение принято. Файлы открыты." })).toBeVisible();
  await expect(shopPanel.getByTestId("order-file")).toHaveCount(2);
  await page.reload();
  await expect(page.getByRole("table", { name: "Кто принял" }).getByRole("row")).toHaveCount(3);
  await expect(page.getByRole("table", { name: "Кто принял" })).toContainText("3 (текущая)");

  // The same page in English.
  const english = await pageSignedIn(browser, buyer.token, "en");
  await english.goto(`/orders/${orderId}`);
  await expect(english.getByRole("region", { name: "Drawings and models" }).getByTestId("order-file")).toHaveCount(2);
  await expect(english.getByRole("table", { name: "Download log" })).toContainText("drawing.pdf (rev. 1)");
  await screenshot(english, "18-files-buyer-en");
  await expectAccessible(english);
});

/** A closed box x by y by z mm as a binary STL (12 triangles), like tests/files_samples.py's stl_binary(box(…)). */
function stlBox(x: number, y: number, z: number): Buffer {
  const p = [[0, 0, 0], [x, 0, 0], [x, y, 0], [0, y, 0], [0, 0, z], [x, 0, z], [x, y, z], [0, y, z]];
  const faces = [[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]];
  const out = Buffer.alloc(84 + faces.length * 50);
  out.write("binary stl".padEnd(80, " "), 0, "latin1");
  out.writeUInt32LE(faces.length, 80);
  faces.forEach((face, index) => {
    const at = 84 + index * 50;
    out.writeFloatLE(0, at);
    out.writeFloatLE(0, at + 4);
    out.writeFloatLE(1, at + 8);
    face.forEach((vertex, corner) => {
      for (let axis = 0; axis < 3; axis += 1) out.writeFloatLE(p[vertex][axis], at + 12 + corner * 12 + axis * 4);
    });
  });
  return out;
}

test("the part size from the model leaves out a shop whose machines are too small; the buyer corrects it", async ({
  browser,
  api,
}) => {
  const buyer = await signUp(api, { kind: "BUYER" });
  // The shop's profile takes parts up to 800 × 500 × 400 mm (tests/support/manufacturers.ts).
  const small = await manufacturerWithProfile(api, { name: `ООО «${unique("Малые станки ")}»` });
  const title = unique("Станина ");
  const orderId = await publishOrder(api, buyer, { title });

  // An STL model of a 1000 × 600 × 300 mm part: the worker analyses it; the page shows its size once it has.
  const page = await pageSignedIn(browser, buyer.token);
  await page.goto(`/orders/${orderId}`);
  const envelope = page.getByRole("region", { name: "Габариты детали" });
  await expect(envelope.getByText("Габариты неизвестны: приложите 3D-модель (STEP, IGES или STL) или укажите их.")).toBeVisible();
  const upload = page.getByRole("form", { name: "Приложить файл" });
  await upload.getByLabel("Что это за файл").selectOption({ label: "3D-модель" });
  await upload.getByLabel("Файл", { exact: true }).setInputFiles({ name: "stanina.stl", mimeType: "model/stl", buffer: stlBox(1000, 600, 300) });
  await upload.getByRole("button", { name: "Загрузить" }).click();
  const model = page.getByTestId("order-file").filter({ hasText: "stanina.stl" });
  await expect(model).toContainText("STL");
  await expect(model).toContainText(/Габариты модели: 1\s000 × 600 × 300 мм/, { timeout: 30_000 });
  await expect(envelope.getByTestId("part-envelope")).toContainText(/1\s000 × 600 × 300 мм/);
  await expect(envelope.getByTestId("part-envelope")).toContainText("Источник: по 3D-модели");

  // Who fits: the shop is left out for the part size, and the machine hours come from the model, with the basis.
  await page.goto(`/orders/${orderId}/suppliers`);
  await expect(page.getByTestId("machine-hours")).toContainText(/^Трудоёмкость для подбора: [\d\s]+ маш\.-ч — оценена по 3D-модели:/);
  // The estimate's figures come from the API as data and read in Russian (no English sentence on the page).
  await expect(page.getByTestId("machine-hours")).toContainText(
    /[\d\s]+ шт\. × \([\d\s,]+ см³ снимаемого материала при [\d,]+ см³\/мин \+ 5 мин на установку\) = [\d\s]+ маш\.-ч\./,
  );
  await expect(page.getByTestId("machine-hours")).not.toContainText("estimated");
  const excluded = page.locator("ul.excluded > li").filter({ hasText: small.organisationName });
  await expect(excluded).toContainText("Не проходит по условию: Габариты детали");
  await expect(excluded.getByTestId("exclusion-reason")).toHaveText(
    /^Деталь 1\s000 × 600 × 300 мм \(габариты модели stanina\.stl\) не помещается ни в каком положении: самая большая деталь в профиле — 400 × 500 × 800 мм\.$/,
  );
  await screenshot(page, "18-files-who-fits-envelope");
  await expectAccessible(page);

  // The buyer corrects the size (the model is of the assembly's larger variant): now it fits the shop's machines.
  await page.goto(`/orders/${orderId}`);
  await envelope.getByRole("button", { name: "Исправить габариты" }).click();
  await envelope.getByLabel("Длина X, мм").fill("500");
  await envelope.getByLabel("Высота Z, мм").fill("");
  await envelope.getByRole("button", { name: "Сохранить габариты" }).click();
  // A blank side is not sent: it is asked for at its field.
  await expect(envelope.locator(".field-error .field-message")).toHaveText("Введите размер числом в миллиметрах");
  // The sizes are text inputs grouped as a Russian reads them (no spinner): a pasted «1 200,5» stays «1 200,5».
  await envelope.getByLabel("Ширина Y, мм").fill("1 200,5");
  await expect(envelope.getByLabel("Ширина Y, мм")).toHaveValue("1\u00a0200,5");
  await screenshot(page, "18-files-envelope-form");
  await envelope.getByLabel("Ширина Y, мм").fill("600");
  await envelope.getByLabel("Высота Z, мм").fill("300");
  await envelope.getByRole("button", { name: "Сохранить габариты" }).click();
  await expect(envelope.getByRole("status")).toHaveText("Габариты сохранены.");
  await expect(envelope.getByTestId("part-envelope")).toContainText("500 × 600 × 300 мм");
  await expect(envelope.getByTestId("part-envelope")).toContainText("Источник: указаны заказчиком");
  await screenshot(page, "18-files-envelope");
  await expectAccessible(page);

  await page.goto(`/orders/${orderId}/suppliers`);
  const nowExcluded = page.locator("ul.excluded > li").filter({ hasText: small.organisationName });
  await expect(nowExcluded).toContainText("Не проходит по условию: Свободные мощности");
  await expect(nowExcluded.getByTestId("exclusion-reason")).toHaveText(
    /^До срока поставки свободно [\d\s]+ маш\.-ч, а нужно [\d\s]+ маш\.-ч\.$/,
  );
  await expect(nowExcluded).not.toContainText("Габариты детали");
});

test("a model over the multipart limit goes straight to storage, checked by the SHA-256 the browser computed", async ({
  browser,
  api,
}) => {
  const buyer = await signUp(api, { kind: "BUYER" });
  const orderId = await publishOrder(api, buyer, { title: unique("Плита ") });
  // A real STEP file of about 17 MiB (the web app sends files over 16 MiB by requestFileUpload → PUT → finish).
  const point = "#1=CARTESIAN_POINT('',(0.,0.,0.));\n";
  const body = point.repeat(Math.ceil((17 * 1024 * 1024) / point.length));
  const big = Buffer.from(
    "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('plate'),'2;1');\nENDSEC;\nDATA;\n" + body + "ENDSEC;\nEND-ISO-10303-21;\n",
  );

  const page = await pageSignedIn(browser, buyer.token);
  const requests: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/files/upload/")) requests.push(`${request.method()} /files/upload/…`);
    else if (url.pathname === "/graphql" && request.method() === "POST") {
      const name = /mutation (\w+)/.exec(request.postData() ?? "")?.[1];
      if (name) requests.push(name);
    }
  });
  await page.goto(`/orders/${orderId}`);
  const upload = page.getByRole("form", { name: "Приложить файл" });
  await upload.getByLabel("Что это за файл").selectOption({ label: "3D-модель" });
  await upload.getByLabel("Файл", { exact: true }).setInputFiles({ name: "plate.step", mimeType: "application/step", buffer: big });
  await expect(upload.getByText("Выбран: plate.step (17 МБ)")).toBeVisible();
  await upload.getByRole("button", { name: "Загрузить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Файл «plate.step» приложен." })).toBeVisible({ timeout: 30_000 });
  const file = page.getByTestId("order-file").filter({ hasText: "plate.step" });
  await expect(file).toContainText("STEP · 17 МБ · ред. 1");
  expect(requests).toEqual(["RequestFileUpload", "PUT /files/upload/…", "FinishFileUpload"]);

  // The stored file is the one sent: the API's SHA-256 of it is that of the bytes here.
  const stored = await api.as(buyer.token).gql(`query($id: ID!) { order(id: $id) { files { name sha256 size } } }`, { id: orderId });
  expect(stored.order.files).toEqual([
    { name: "plate.step", sha256: createHash("sha256").update(big).digest("hex"), size: big.length },
  ]);
});

test("on a draft, the buyer attaches a drawing and requires the NDA from the order form, before publishing", async ({
  browser,
  api,
}) => {
  const buyer = await signUp(api, { kind: "BUYER" });
  const title = unique("Втулка ");
  const created = await api.as(buyer.token).gql(
    `mutation($input: CreateOrderInput!) {
      createOrder(input: $input) { __typename ... on OrderSuccess { order { id } } ... on UserError { message field } }
    }`,
    {
      input: {
        title,
        process: "CNC_TURNING",
        material: "Сталь 40Х",
        quantity: 200,
        needBy: dateIn(60),
        deliveryRegion: "RU-MOW",
        budgetMin: { amount: "50000", currency: "RUB" },
        budgetMax: { amount: "90000", currency: "RUB" },
        biddingDeadline: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
      },
    },
  );
  if (created.createOrder.__typename !== "OrderSuccess") throw new Error(JSON.stringify(created));
  const orderId = created.createOrder.order.id;

  const page = await pageSignedIn(browser, buyer.token);
  await page.goto("/my/orders");
  await page.getByRole("link", { name: title, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${orderId}/edit$`));
  const upload = page.getByRole("form", { name: "Приложить файл" });
  await upload.getByLabel("Файл", { exact: true }).setInputFiles({ name: "vtulka.pdf", mimeType: "application/pdf", buffer: PDF });
  await upload.getByRole("button", { name: "Загрузить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Файл «vtulka.pdf» приложен." })).toBeVisible();
  await expect(page.getByTestId("order-file")).toHaveCount(1);
  const nda = page.getByRole("region", { name: "Соглашение о неразглашении" });
  await nda.getByLabel("Текст соглашения").fill(NDA_TEXT);
  await nda.getByRole("button", { name: "Требовать соглашение" }).click();
  await expect(nda.getByText(/^Действует редакция 1 от /)).toBeVisible();
  await screenshot(page, "18-files-draft");
  await expectAccessible(page);
});

test("a STEP model is measured and shown in 3D, a drawing's first page inline; without WebGL the page says so", async ({
  browser,
  api,
}) => {
  test.setTimeout(150_000); // the worker converts in child processes: slow on a loaded machine
  // Real files made by tests/files_samples.py: a 40 × 20 × 10 mm box as a STEP solid, an A4 drawing as a PDF.
  const step = await readFile(new URL("./fixtures/housing.step", import.meta.url));
  const drawing = await readFile(new URL("./fixtures/housing-drawing.pdf", import.meta.url));
  const buyer = await signUp(api, { kind: "BUYER" });
  const orderId = await publishOrder(api, buyer, { title: unique("Корпус датчика ") });
  const page = await pageSignedIn(browser, buyer.token);
  await page.goto(`/orders/${orderId}`);
  const upload = page.getByRole("form", { name: "Приложить файл" });
  await upload.getByLabel("Что это за файл").selectOption({ label: "3D-модель" });
  await upload.getByLabel("Файл", { exact: true }).setInputFiles({ name: "housing.step", mimeType: "model/step", buffer: step });
  await upload.getByRole("button", { name: "Загрузить" }).click();
  const model = page.getByTestId("order-file").filter({ hasText: "housing.step" });
  await expect(model).toContainText("STEP");
  await upload.getByLabel("Что это за файл").selectOption({ label: "Чертёж" });
  await upload.getByLabel("Файл", { exact: true }).setInputFiles({ name: "housing.pdf", mimeType: "application/pdf", buffer: drawing });
  await upload.getByRole("button", { name: "Загрузить" }).click();
  const sheet = page.getByTestId("order-file").filter({ hasText: "housing.pdf" });
  await expect(sheet).toContainText("PDF");

  // The worker measures the STEP solid and makes both previews; the page shows them once it has (a reload).
  await expect(async () => {
    await page.reload();
    await expect(model.getByRole("button", { name: "Показать 3D-модель: housing.step" })).toBeVisible({ timeout: 1_000 });
    await expect(sheet.getByTestId("file-preview-page")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 40_000 });
  await expect(model).toContainText(/Габариты модели: 40 × 20 × 10 мм/);
  await expect(page.getByTestId("part-envelope")).toContainText("40 × 20 × 10 мм");
  const image = sheet.getByRole("img", { name: "Первая страница чертежа housing.pdf" });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1400);

  await model.getByRole("button", { name: "Показать 3D-модель: housing.step" }).click();
  const viewer = model.getByTestId("model-viewer");
  await expect(viewer).toHaveAttribute("data-loaded", "true", { timeout: 20_000 });
  await expect(viewer.locator("canvas")).toBeVisible();
  await viewer.scrollIntoViewIfNeeded();
  await screenshot(page, "18-files-previews");
  await expectAccessible(page);

  // A browser without WebGL: the viewer is not offered as broken, the page says to download the file instead.
  const plain = await pageSignedIn(browser, buyer.token);
  await plain.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, kind: string, ...rest: unknown[]) {
      if (kind.startsWith("webgl")) return null;
      return (original as (...args: unknown[]) => unknown).call(this, kind, ...rest);
    } as typeof original;
  });
  await plain.goto(`/orders/${orderId}`);
  const plainModel = plain.getByTestId("order-file").filter({ hasText: "housing.step" });
  await plainModel.getByRole("button", { name: "Показать 3D-модель: housing.step" }).click();
  await expect(plainModel.getByRole("note")).toHaveText(/WebGL недоступен/);
  await screenshot(plain, "18-files-no-webgl");
});

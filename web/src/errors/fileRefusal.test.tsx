// A refused file says why, in Russian and English: an empty file, an archive (of its kind), a file cut short (in its
// format's words), content of no accepted kind (with the formats accepted), too large, the order's limits, a direct
// upload that does not match, a signature file of the wrong name. A refusal without a reason keeps its code's text.
import { cleanup, render } from "@testing-library/react";
import i18next from "i18next";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorText } from "../ui/forms";
import { errorMessage, type UserErrorLike } from "./userError";

const spaced = (text: string | null | undefined) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");
const say = (error: UserErrorLike) => spaced(errorMessage(error, i18next.t, i18next.language));
const FORMATS = ["pdf", "step", "iges", "stl", "dxf", "png", "jpeg"];

const file = (fields: Partial<UserErrorLike>): UserErrorLike => ({
  __typename: "FileRejectedError",
  message: "English for developers",
  code: "UNSUPPORTED_FILE",
  field: "file",
  allowedFormats: FORMATS,
  ...fields,
});

afterEach(async () => {
  cleanup();
  await i18next.changeLanguage("ru");
});

describe("a refused file", () => {
  it("says a truncated STL is cut short, not that its type is refused", async () => {
    const stl = file({ reason: "TRUNCATED", detectedFormat: "STL" });
    expect(say(stl)).toBe("Файл STL обрезан (нет endsolid) — загрузите его заново.");
    await i18next.changeLanguage("en");
    expect(say(stl)).toBe("The STL file is cut short (no endsolid): upload it again.");
  });

  it("words each truncated format in its own terms", () => {
    expect(say(file({ reason: "TRUNCATED", detectedFormat: "STEP" }))).toBe(
      "Файл STEP обрезан (нет END-ISO-10303-21) — экспортируйте его из CAD заново и загрузите ещё раз.",
    );
    expect(say(file({ reason: "TRUNCATED", detectedFormat: "PDF" }))).toBe(
      "Файл PDF обрезан (нет маркера конца %%EOF) — сохраните его заново и загрузите ещё раз.",
    );
    expect(say(file({ reason: "TRUNCATED", detectedFormat: null }))).toBe("Файл обрезан — загрузите его заново.");
  });

  it("says an archive is refused, names its kind and what to do", async () => {
    const rar = file({ reason: "ARCHIVE", archiveKind: "SEVEN_ZIP" });
    expect(say(rar)).toBe(
      "Архивы (7-Zip) не принимаются: распакуйте архив и загрузите файлы по отдельности. " +
        "Допустимые форматы: PDF, STEP, IGES, STL, DXF, PNG, JPEG.",
    );
    await i18next.changeLanguage("en");
    expect(say(file({ reason: "ARCHIVE", archiveKind: "ZIP" }))).toBe(
      "Archives (ZIP) are not accepted: unpack it and upload the files one by one. " +
        "Accepted formats: PDF, STEP, IGES, STL, DXF, PNG, JPEG.",
    );
  });

  it("says an empty file is empty", async () => {
    expect(say(file({ reason: "EMPTY" }))).toMatch(/^Файл пуст: в нём нет ни одного байта\./);
    await i18next.changeLanguage("en");
    expect(say(file({ reason: "EMPTY" }))).toMatch(/^The file is empty/);
  });

  it("says unknown content is read from the content, with the formats accepted", () => {
    expect(say(file({ reason: "UNKNOWN_CONTENT" }))).toBe(
      "Содержимое файла не похоже ни на один допустимый формат (тип определяется по содержимому, а не по имени): " +
        "PDF, STEP, IGES, STL, DXF, PNG, JPEG.",
    );
  });

  it("says a signature must be a .sig or .p7s file", async () => {
    const wrong = file({ reason: "WRONG_EXTENSION", allowedFormats: ["sig", "p7s"] });
    expect(say(wrong)).toBe("Нужен файл с расширением .sig, .p7s.");
    await i18next.changeLanguage("en");
    expect(say(wrong)).toBe("A file ending in .sig, .p7s is needed.");
  });

  it("says the sizes and counts of the limits", () => {
    const large = file({
      code: "FILE_TOO_LARGE",
      reason: "TOO_LARGE",
      allowedFormats: null,
      limits: { unit: "BYTES", min: null, max: "52428800", currency: null },
    });
    expect(say(large)).toBe("Файл больше 50 МБ — это предел для одного файла.");
    const full = file({
      code: "FILE_LIMIT_REACHED",
      field: "orderId",
      reason: "ORDER_FILE_COUNT",
      allowedFormats: null,
      limits: { unit: "FILES", min: null, max: "21", currency: null },
    });
    expect(say(full)).toMatch(/^К заказу можно приложить не больше 21 файла\. /);
    const bytes = file({
      code: "FILE_LIMIT_REACHED",
      reason: "ORDER_SIZE",
      allowedFormats: null,
      limits: { unit: "BYTES", min: null, max: "524288000", currency: null },
    });
    expect(say(bytes)).toBe("Файлы заказа вместе со всеми редакциями могут занимать не больше 500 МБ.");
  });

  it("says which way a direct upload did not match", () => {
    const mismatch = (reason: string) => say(file({ code: "UPLOAD_MISMATCH", field: "uploadId", reason, allowedFormats: null }));
    expect(mismatch("CHECKSUM_MISMATCH")).toMatch(/^Файл повредился при передаче/);
    expect(mismatch("SIZE_MISMATCH")).toMatch(/^Файл дошёл не целиком/);
    expect(mismatch("NOT_UPLOADED")).toMatch(/^Файл не дошёл до хранилища/);
  });

  it("keeps the code's words for a refusal without a reason, or with one this build does not know", () => {
    expect(say(file({}))).toBe("Этот тип файла не принимается. Допустимые форматы: PDF, STEP, IGES, STL, DXF, PNG, JPEG.");
    expect(say(file({ reason: "SOMETHING_NEWER" }))).toBe(
      "Этот тип файла не принимается. Допустимые форматы: PDF, STEP, IGES, STL, DXF, PNG, JPEG.",
    );
  });

  it("shows its words at the field", () => {
    render(<ErrorText error={file({ reason: "TRUNCATED", detectedFormat: "STL" })} />);
    expect(document.body.textContent).toBe("Файл STL обрезан (нет endsolid) — загрузите его заново.");
  });
});

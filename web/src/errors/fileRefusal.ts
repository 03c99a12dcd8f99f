// A refused file in words: FileRejectedError.reason says why (empty, an archive, cut short, of no accepted type, too
// large, over the order's limits, not what a direct upload announced), and its figures say what to do about it (the
// format that arrived cut short, the archive's kind, the formats accepted, the largest size). The words are
// messages.ts's `file`; a refusal without a reason (an older API) is worded by its code, as before.
import type { TFunction } from "i18next";
import { figuresOf, type FiguresLike } from "./figures";
import { messages } from "./messages";

export interface FileRefusalLike extends FiguresLike {
  reason?: string | null;
  detectedFormat?: string | null;
  archiveKind?: string | null;
}

const NS = { ns: "errors" } as const;
const has = (table: object, key: string | null | undefined): key is string => !!key && Object.hasOwn(table, key);

/** The words for a refused file, or null when the refusal carries no reason this build knows. */
export function fileRefusalMessage(error: FileRefusalLike, t: TFunction, language: string): string | null {
  const { reason, detectedFormat, archiveKind, allowedFormats } = error;
  if (!has(messages.ru.file.reason, reason)) return null;
  const figures = figuresOf(error, t, language);
  const values = {
    ...NS,
    formats: figures?.formats ?? "",
    max: figures?.max ?? "",
    extensions: (allowedFormats ?? []).map((format) => `.${format}`).join(", "),
    archive: has(messages.ru.file.archive, archiveKind) ? t(`file.archive.${archiveKind}`, NS) : (archiveKind ?? ""),
  };
  if (reason === "TRUNCATED" && has(messages.ru.file.truncated, detectedFormat)) {
    return t(`file.truncated.${detectedFormat}`, values);
  }
  // A sentence ending in an abbreviation ends with its point alone: «не больше 20 файлов.», not «шт..».
  return t(`file.reason.${reason}`, values).replace(/(?<!\.)\.\.(?!\.)/g, ".");
}

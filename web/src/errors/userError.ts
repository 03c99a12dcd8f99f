// A mutation's refusal as every screen selects and shows it. Each mutation's result union ends in typed errors
// that implement `UserError { code message field }`; documents spread UserErrorFields instead of spelling the
// selection out, and the text shown is ours, per code, in the page's language (messages.ts), with the figures the
// refusal carries (the allowed range, the largest file, the accepted formats: figures.ts); a refused file is worded
// by its reason (fileRefusal.ts). The API's English `message` is shown only for a code this build does not know yet
// (a newer API than the app in the browser).
import i18next, { type TFunction } from "i18next";
import { graphql } from "../graphql";
import { figuresOf } from "./figures";
import { fileRefusalMessage, type FileRefusalLike } from "./fileRefusal";
import { messages } from "./messages";

/** Unmasked: its fields are read where the result is, by userErrorOf and the form pieces. The error types with
 * figures add them (ValidationError, FileRejectedError); every mutation that spreads this gets them. */
export const UserErrorFragment = graphql(`
  fragment UserErrorFields on UserError @_unmask {
    code
    message
    field
    ... on ValidationError {
      limits {
        unit
        min
        max
        currency
      }
      dateLimits {
        earliest
        latest
      }
    }
    ... on FileRejectedError {
      limits {
        unit
        min
        max
        currency
      }
      allowedFormats
      reason
      detectedFormat
      archiveKind
    }
  }
`);

export interface UserErrorLike extends FileRefusalLike {
  __typename?: string;
  message: string;
  code?: string | null;
  field?: string | null;
}

/** A mutation's typed refusal, or null when the result is the success member of its union. */
export function userErrorOf(
  result: { __typename?: string; message?: string; field?: string | null } | null | undefined,
): UserErrorLike | null {
  if (!result) return null;
  const candidate = result as Partial<UserErrorLike>;
  return typeof candidate.message === "string" && result.__typename?.endsWith("Error")
    ? (candidate as UserErrorLike)
    : null;
}

// urql's CombinedError spells a transport failure "[Network] …" and a top-level GraphQL error "[GraphQL] …".
const TRANSPORT = /^\[(Network|GraphQL)\]/;

export function isKnownCode(code: string | null | undefined): boolean {
  return !!code && Object.hasOwn(messages.ru.code, code);
}

/** The words a person reads for this refusal, in the language `t` speaks (`language` for its numbers and dates). */
export function errorMessage(error: UserErrorLike, t: TFunction, language: string = i18next.language): string {
  if (isKnownCode(error.code)) {
    // A refused file says why (FileRejectedError.reason): its own words, whatever the code and field.
    const file = fileRefusalMessage(error, t, language);
    if (file) return file;
    const general = t(`code.${error.code}`, { ns: "errors" });
    // A nested input's field ("unitPrice.amount") is looked up with "_" for "." (i18next reads "." as nesting).
    const field = error.field?.replaceAll(".", "_");
    const plain = field ? t(`field.${error.code}.${field}`, { ns: "errors", defaultValue: general }) : general;
    const figures = figuresOf(error, t, language);
    if (!figures) return plain;
    // With figures: the field's own text, else the code's, each saying them; the plain text when neither exists.
    const byCode = t(`figures.code.${error.code}`, { ns: "errors", ...figures, defaultValue: plain });
    const text = field ? t(`figures.field.${error.code}.${field}`, { ns: "errors", ...figures, defaultValue: byCode }) : byCode;
    // A sentence ending in an abbreviation ends with its point alone: «до 1 000 шт.», not «шт..».
    return text.replace(/(?<!\.)\.\.(?!\.)/g, ".");
  }
  if (!error.code && TRANSPORT.test(error.message)) return t("transport", { ns: "errors" });
  return error.message;
}

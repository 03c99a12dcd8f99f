// The figures a refusal carries (UserError's `limits`, `dateLimits`, `allowedFormats`: see userError.ts) as words in
// the page's language: "от 1 до 1 000 000 шт.", "не больше 50 МБ", "не раньше 16 мар. 2027 г.", "STEP, STL, PDF".
// Numbers, money, sizes and dates go through Intl in the page's locale; the words around them are messages.ts's
// `figures` (Russian after «до»/«не больше» takes the genitive: «до 1 символа», «до 200 символов»).
import type { TFunction } from "i18next";
import { formatMoney, localeOf } from "../i18n/format";
import { sizeParts } from "../files/size";

export interface LimitsLike {
  unit: string;
  min?: string | null;
  max?: string | null;
  currency?: string | null;
}

export interface DateLimitsLike {
  earliest?: string | null;
  latest?: string | null;
}

export interface FiguresLike {
  limits?: LimitsLike | null;
  dateLimits?: DateLimitsLike | null;
  allowedFormats?: readonly string[] | null;
}

/** What a message template may interpolate: `range` (the whole bound in words), `min`/`max` (each with its
 * unit), `earliest`/`latest` (dates), `formats` (the accepted file formats). */
export interface Figures {
  range: string;
  min: string;
  max: string;
  earliest: string;
  latest: string;
  formats: string;
}

const NS = { ns: "errors" } as const;

/** One figure with its unit: "1 000 000 шт.", "50 МБ", "200 символов", "250 000 ₽". */
export function figure(value: string, limits: LimitsLike, t: TFunction, language: string): string {
  const locale = localeOf(language);
  if (limits.unit === "MONEY" && limits.currency) return formatMoney({ amount: value, currency: limits.currency }, language);
  if (limits.unit === "BYTES") {
    const { unit, value: shown } = sizeParts(Number(value), locale);
    return t(`size.${unit}`, { ns: "files", value: shown });
  }
  // Intl takes a decimal string exactly; the unit's word agrees with the number (Intl.PluralRules, via count).
  const shown = new Intl.NumberFormat(locale).format(value as unknown as number);
  return t(`figures.unit.${limits.unit}`, { ...NS, value: shown, count: Number(value), defaultValue: shown });
}

function plainDate(iso: string, language: string): string {
  // A calendar date ("2027-03-16"), read in UTC so that it stays the same day wherever the browser is.
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
}

/** The figures of a refusal as words, or null when it carries none. */
export function figuresOf(error: FiguresLike, t: TFunction, language: string): Figures | null {
  const { limits, dateLimits, allowedFormats } = error;
  const values: Figures = { range: "", min: "", max: "", earliest: "", latest: "", formats: "" };
  let any = false;
  if (limits && (limits.min != null || limits.max != null)) {
    any = true;
    // A range names its unit once, after the upper end ("от 1 до 5 дней"); money and sizes carry theirs each time.
    const bare = limits.unit !== "MONEY" && limits.unit !== "BYTES";
    values.min = limits.min != null ? figure(limits.min, limits, t, language) : "";
    values.max = limits.max != null ? figure(limits.max, limits, t, language) : "";
    if (limits.min != null && limits.max != null) {
      const low = bare ? new Intl.NumberFormat(localeOf(language)).format(limits.min as unknown as number) : values.min;
      values.range = t("figures.between", { ...NS, min: low, max: values.max });
    } else if (limits.max != null) {
      values.range = t("figures.atMost", { ...NS, max: values.max });
    } else {
      values.range = t("figures.atLeast", { ...NS, min: values.min });
    }
  }
  if (dateLimits && (dateLimits.earliest || dateLimits.latest)) {
    any = true;
    values.earliest = dateLimits.earliest ? plainDate(dateLimits.earliest, language) : "";
    values.latest = dateLimits.latest ? plainDate(dateLimits.latest, language) : "";
    values.range =
      values.earliest && values.latest
        ? t("figures.dateBetween", { ...NS, earliest: values.earliest, latest: values.latest })
        : values.earliest
          ? t("figures.notBefore", { ...NS, earliest: values.earliest })
          : t("figures.notAfter", { ...NS, latest: values.latest });
  }
  if (allowedFormats && allowedFormats.length > 0) {
    any = true;
    values.formats = allowedFormats.map((format) => format.toUpperCase()).join(", ");
  }
  return any ? values : null;
}

// Money, dates and numbers through Intl, in the page's language. Money arrives as a decimal string in
// major units (the API's Money.amount) and is never turned into arithmetic here.
import { useTranslation } from "react-i18next";

const LOCALES = { ru: "ru-RU", en: "en-GB" } as const;

export function localeOf(language: string): string {
  return LOCALES[language as keyof typeof LOCALES] ?? LOCALES.ru;
}

export interface MoneyValue {
  amount: string;
  currency: string;
}

export function formatMoney(money: MoneyValue, language: string): string {
  // Intl.NumberFormat takes a decimal string exactly (no float rounding) in current engines.
  const amount = money.amount as unknown as number;
  // Whole amounts without kopecks ("1 250 000 ₽"); any kopecks shown in full ("1 250 000,50 ₽").
  const fractional = /\.\d*[1-9]/.test(money.amount);
  return new Intl.NumberFormat(localeOf(language), {
    style: "currency",
    currency: money.currency,
    minimumFractionDigits: fractional ? 2 : 0,
    maximumFractionDigits: 2,
  }).format(amount);
}

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(localeOf(language)).format(value);
}

// Dates as Russian paperwork writes them: 25.03.2026 (en-GB: 25/03/2026); with the time, «25.03.2026, 12:00».
const DAY: Intl.DateTimeFormatOptions = { day: "2-digit", month: "2-digit", year: "numeric" };

export function formatDate(iso: string, language: string): string {
  return new Intl.DateTimeFormat(localeOf(language), DAY).format(new Date(iso));
}

/** A calendar month ("2027-03-01" → «март 2027 г.»), read in UTC so that the first of the month stays in it. */
export function formatMonth(isoDate: string, language: string): string {
  return new Intl.DateTimeFormat(localeOf(language), { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(isoDate),
  );
}

export function formatDateTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(localeOf(language), { ...DAY, hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "in 3 days", "2 hours ago": the largest whole unit. */
export function formatRelative(iso: string, language: string, now: Date = new Date()): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(localeOf(language), { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds / 60), "minute");
}

/** The formatters bound to the page's current language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return {
    language,
    money: (money: MoneyValue) => formatMoney(money, language),
    number: (value: number) => formatNumber(value, language),
    date: (iso: string) => formatDate(iso, language),
    month: (isoDate: string) => formatMonth(isoDate, language),
    dateTime: (iso: string) => formatDateTime(iso, language),
    relative: (iso: string) => formatRelative(iso, language),
  };
}

// What a number input shows and what it hands the form. A person types (or pastes) digits the way they read
// them — «1 500 000,5», "1,500,000.5", «150 000 ₽» — and the form gets the plain decimal string the API takes
// ("1500000.5"). Digit groups and the decimal sign are the page language's, from Intl (the same ones Money shows),
// so an amount reads alike in an input and on the page. Nothing here judges the number: the API does.

import { localeOf } from "../i18n/format";

export interface Separators {
  /** Between digit groups: a no-break space in Russian, a comma in English. */
  group: string;
  /** Before the fraction: a comma in Russian, a dot in English. */
  decimal: string;
  /** Signs read as the decimal sign when typed: the locale's own and, where the locale groups with something
   * else, the dot too (a Russian keyboard's numpad types a dot). */
  decimalInputs: readonly string[];
}

const cache = new Map<string, Separators>();

export function separatorsOf(locale: string): Separators {
  const known = cache.get(locale);
  if (known) return known;
  const parts = new Intl.NumberFormat(locale).formatToParts(11111.1);
  const group = parts.find((part) => part.type === "group")?.value ?? ",";
  const decimal = parts.find((part) => part.type === "decimal")?.value ?? ".";
  const decimalInputs = [decimal, "."].filter((sign, index, all) => sign !== group && all.indexOf(sign) === index);
  const separators = { group, decimal, decimalInputs };
  cache.set(locale, separators);
  return separators;
}

export interface NumberOptions {
  locale: string;
  /** Digits allowed after the decimal sign: 0 for whole numbers (quantities, days), 2 for roubles and kopecks. */
  fractionDigits: number;
  /** The text was pasted, not typed: a sign that repeats («1.500.000,50», "1,500,000.50") or comes before another
   * one groups digits there, so that a figure copied from elsewhere keeps its size. */
  pasted?: boolean;
}

/** The decimal signs of this text: a pasted figure's grouping signs are not (see NumberOptions.pasted). */
function decimalSignsOf(text: string, options: NumberOptions): readonly string[] {
  const { decimalInputs } = separatorsOf(options.locale);
  if (!options.pasted) return decimalInputs;
  const present = decimalInputs.filter((sign) => text.includes(sign));
  const repeated = present.filter((sign) => text.indexOf(sign) !== text.lastIndexOf(sign));
  const once = present.filter((sign) => !repeated.includes(sign));
  // Two different signs once each ("1,500.50"): the last one is the decimal sign.
  const last = once.sort((a, b) => text.lastIndexOf(b) - text.lastIndexOf(a))[0];
  return last === undefined ? [] : [last];
}

interface Read {
  integer: string;
  /** null: no decimal sign typed; "" a sign with nothing after it yet. */
  fraction: string | null;
  /** For each character of the text, whether it was kept (a digit or the decimal sign). */
  kept: boolean[];
}

/** Digits and one decimal sign out of whatever was typed; group signs, spaces, currency signs and letters are
 * dropped. A whole number stops at a decimal sign; a fraction stops at its last allowed digit. */
function read(text: string, options: NumberOptions): Read {
  const decimalInputs = decimalSignsOf(text, options);
  let integer = "";
  let fraction: string | null = null;
  let stopped = false;
  const kept: boolean[] = [];
  for (const char of text) {
    let keep = false;
    if (!stopped) {
      if (char >= "0" && char <= "9") {
        if (fraction === null) {
          integer += char;
          keep = true;
        } else if (fraction.length < options.fractionDigits) {
          fraction += char;
          keep = true;
        } else {
          stopped = true;
        }
      } else if (decimalInputs.includes(char)) {
        if (options.fractionDigits === 0 || fraction !== null) {
          stopped = true;
        } else {
          fraction = "";
          keep = true;
        }
      }
    }
    // A character outside the BMP counts as two positions of the input's caret.
    for (let unit = 0; unit < char.length; unit += 1) kept.push(keep);
  }
  return { integer, fraction, kept };
}

function grouped(integer: string, group: string): string {
  let out = "";
  for (let index = 0; index < integer.length; index += 1) {
    if (index > 0 && (integer.length - index) % 3 === 0) out += group;
    out += integer[index];
  }
  return out;
}

function plainOf({ integer, fraction }: Read): string {
  const whole = integer.replace(/^0+(?=\d)/, "") || (fraction !== null ? "0" : "");
  return fraction ? `${whole}.${fraction}` : whole;
}

export interface Shown {
  /** What the input shows: «1 500 000,5». */
  display: string;
  /** What the form gets: "1500000.5" ("" when nothing was typed). */
  value: string;
  /** Where the caret goes in display, given where it was in the text typed. */
  caret: number;
}

/** The text as typed (the caret where the browser left it) → what to show, the plain value and the caret. */
export function formatTyped(text: string, caret: number, options: NumberOptions): Shown {
  const { group, decimal } = separatorsOf(options.locale);
  const typed = read(text, options);
  // The caret stays after the same number of digits (and decimal sign) it was after.
  let before = typed.kept.slice(0, Math.max(0, caret)).filter(Boolean).length;
  let display = grouped(typed.integer, group);
  if (typed.fraction !== null) {
    if (typed.integer === "") {
      display = "0";
      before += 1;
    }
    display += decimal + typed.fraction;
  }
  return { display, value: plainOf(typed), caret: caretAfter(display, before, group) };
}

/** The caret's position in display after `count` characters that are not group signs. */
function caretAfter(display: string, count: number, group: string): number {
  if (count <= 0) return 0;
  let seen = 0;
  for (let index = 0; index < display.length; index += 1) {
    if (display[index] !== group) seen += 1;
    if (seen === count) return index + 1;
  }
  return display.length;
}

/** A plain value (the API's "150000.00", or the form's "1500000.5") as the input shows it. */
export function formatPlain(value: string, options: NumberOptions): string {
  const { decimal } = separatorsOf(options.locale);
  // The plain value's dot is its decimal sign whatever the locale: read it as the locale's before formatting.
  const localised = value.replace(".", decimal);
  const fractionDigits = Math.max(options.fractionDigits, fractionLength(value));
  return formatTyped(localised, localised.length, { ...options, fractionDigits }).display;
}

function fractionLength(value: string): number {
  const dot = value.indexOf(".");
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** A deletion that removed only a group sign («1 |500», Backspace) removes the digit beyond it instead, as a
 * person means; otherwise the text is left as the browser made it. */
export function deletionAcrossGroup(
  before: string,
  after: string,
  caret: number,
  direction: "backward" | "forward",
  options: NumberOptions,
): { text: string; caret: number } | null {
  const { group } = separatorsOf(options.locale);
  if (after.length !== before.length - 1) return null;
  const removed = before[caret];
  if (removed !== group || before.slice(0, caret) + before.slice(caret + 1) !== after) return null;
  if (direction === "backward") {
    if (caret === 0) return null;
    return { text: after.slice(0, caret - 1) + after.slice(caret), caret: caret - 1 };
  }
  return { text: after.slice(0, caret) + after.slice(caret + 1), caret };
}

/** A currency's sign as the page's language writes it next to an amount: «₽» for RUB, "€" for EUR. */
export function currencySign(currency: string, language: string): string {
  const parts = new Intl.NumberFormat(localeOf(language), { style: "currency", currency, currencyDisplay: "narrowSymbol" }).formatToParts(0);
  return parts.find((part) => part.type === "currency")?.value ?? currency;
}

import { describe, expect, it } from "vitest";
import { deletionAcrossGroup, formatPlain, formatTyped, separatorsOf } from "./numberText";

const NBSP = "\u00a0";
const ru = { locale: "ru-RU", fractionDigits: 2 };
const en = { locale: "en-GB", fractionDigits: 2 };
const whole = { locale: "ru-RU", fractionDigits: 0 };
/** Spaces in the expectations stand for the locale's group sign, so that they read as the screen does. */
const ruText = (text: string) => text.replaceAll(" ", separatorsOf("ru-RU").group);

describe("separatorsOf", () => {
  it("takes the page language's signs from Intl: a no-break space and a comma in Russian, commas and a dot in English", () => {
    expect(separatorsOf("ru-RU")).toEqual({ group: NBSP, decimal: ",", decimalInputs: [",", "."] });
    expect(separatorsOf("en-GB")).toEqual({ group: ",", decimal: ".", decimalInputs: ["."] });
  });
});

describe("formatTyped", () => {
  it("groups Russian digits while typing and hands the form the plain decimal", () => {
    const typed = "1500000,5";
    expect(formatTyped(typed, typed.length, ru)).toEqual({
      display: ruText("1 500 000,5"),
      value: "1500000.5",
      caret: ruText("1 500 000,5").length,
    });
  });

  it("takes a dot as the decimal sign in Russian too", () => {
    expect(formatTyped("150000.25", 9, ru)).toMatchObject({ display: ruText("150 000,25"), value: "150000.25" });
  });

  it("reads a pasted amount with its spaces and currency sign", () => {
    expect(formatTyped("150 000 ₽", 9, ru)).toMatchObject({ display: ruText("150 000"), value: "150000" });
    expect(formatTyped(`1${NBSP}250${NBSP}000,50${NBSP}₽`, 14, ru)).toMatchObject({
      display: ruText("1 250 000,50"),
      value: "1250000.50",
    });
  });

  it("keeps the size of a figure pasted in another locale's notation", () => {
    const pasted = { ...ru, pasted: true };
    expect(formatTyped("1,500,000.50", 12, pasted)).toMatchObject({ display: ruText("1 500 000,50"), value: "1500000.50" });
    expect(formatTyped("1.500.000,50", 12, pasted)).toMatchObject({ display: ruText("1 500 000,50"), value: "1500000.50" });
    expect(formatTyped("1,250.5", 7, pasted)).toMatchObject({ value: "1250.5" });
    expect(formatTyped("150 000,25 ₽", 12, pasted)).toMatchObject({ value: "150000.25" });
    expect(formatTyped("1.500.000", 9, pasted)).toMatchObject({ value: "1500000" });
    // Typed, a second decimal sign is refused instead: «1 500,5» stays, whatever key follows.
    expect(formatTyped("1500,5.", 7, ru)).toMatchObject({ value: "1500.5" });
  });

  it("groups with commas in English, where a comma is never the decimal sign", () => {
    expect(formatTyped("1500000.5", 9, en)).toMatchObject({ display: "1,500,000.5", value: "1500000.5" });
    expect(formatTyped("$1,250,000.75", 13, en)).toMatchObject({ display: "1,250,000.75", value: "1250000.75" });
  });

  it("keeps no more kopecks than a rouble has, and a second decimal sign ends the number", () => {
    expect(formatTyped("10,999", 6, ru)).toMatchObject({ display: "10,99", value: "10.99" });
    expect(formatTyped("10,5,7", 6, ru)).toMatchObject({ display: "10,5", value: "10.5" });
  });

  it("keeps a decimal sign typed last, and reads a leading one as nought roubles", () => {
    expect(formatTyped("1500,", 5, ru)).toMatchObject({ display: ruText("1 500,"), value: "1500" });
    expect(formatTyped(",5", 2, ru)).toMatchObject({ display: "0,5", value: "0.5", caret: 3 });
  });

  it("takes no decimal sign in a whole number: what follows it is dropped", () => {
    expect(formatTyped("2500,5", 6, whole)).toMatchObject({ display: ruText("2 500"), value: "2500" });
    expect(formatTyped("150 шт.", 7, whole)).toMatchObject({ display: "150", value: "150" });
  });

  it("drops leading noughts from the value, and gives nothing for nothing typed", () => {
    expect(formatTyped("007", 3, whole)).toMatchObject({ value: "7" });
    expect(formatTyped("", 0, ru)).toEqual({ display: "", value: "", caret: 0 });
    expect(formatTyped("abc", 3, ru)).toEqual({ display: "", value: "", caret: 0 });
  });

  it("keeps the caret after the digit it was after when groups move", () => {
    // «15 000», a 9 typed after the 5: «159000» → «159 000», the caret after the 9.
    expect(formatTyped("159000", 3, whole)).toMatchObject({ display: ruText("159 000"), caret: 3 });
    // «1 500 000», a 2 typed after the first 1: «12 500 000», the caret after the 2.
    expect(formatTyped(ruText("12 500 000"), 2, whole)).toMatchObject({ display: ruText("12 500 000"), caret: 2 });
    // «1 000», the 1 deleted: «000» (the caret at the start).
    expect(formatTyped(ruText(" 000"), 0, whole)).toMatchObject({ display: "000", value: "0", caret: 0 });
  });
});

describe("formatPlain", () => {
  it("shows the API's amount as the page's language writes it", () => {
    expect(formatPlain("150000.00", ru)).toBe(ruText("150 000,00"));
    expect(formatPlain("150000.00", en)).toBe("150,000.00");
    expect(formatPlain("1200", whole)).toBe(ruText("1 200"));
    expect(formatPlain("", ru)).toBe("");
  });
});

describe("deletionAcrossGroup", () => {
  it("makes Backspace after a group sign delete the digit before it", () => {
    const before = ruText("1 500");
    // «1 |500», Backspace: the browser removed the space and left the caret at 1.
    expect(deletionAcrossGroup(before, "1500", 1, "backward", whole)).toEqual({ text: "500", caret: 0 });
  });

  it("makes Delete before a group sign delete the digit after it", () => {
    expect(deletionAcrossGroup(ruText("1 500"), "1500", 1, "forward", whole)).toEqual({ text: "100", caret: 1 });
  });

  it("leaves an ordinary deletion alone", () => {
    expect(deletionAcrossGroup(ruText("1 500"), ruText("1 50"), 4, "backward", whole)).toBeNull();
  });
});

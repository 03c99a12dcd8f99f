import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { FragmentOf } from "../graphql";
import i18n from "../i18n";
import { ExclusionReason, type ExclusionReasonFragment } from "./Exclusion";
import { messages } from "./messages";

/** The values of one enum in schema.graphql (what the API may send). */
function schemaEnum(name: string): string[] {
  const schema = readFileSync(resolve(process.cwd(), "../schema.graphql"), "utf8");
  const body = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(schema)?.[1] ?? "";
  return body
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^[A-Z][A-Z0-9_]*$/.test(line));
}

const none: Record<string, unknown> = {
  process: null,
  material: null,
  quantity: null,
  quantityLimit: null,
  requiredStandard: null,
  partMm: null,
  largestPartMm: null,
  partSource: null,
  partModelName: null,
  freeHours: null,
  requiredHours: null,
};

// Fragment data as the API sends it (masked types are opaque to the test).
const exclusion = (code: string, parameters: Record<string, unknown>) =>
  ({ code, ...none, ...parameters }) as unknown as FragmentOf<typeof ExclusionReasonFragment>;

async function renderedIn(language: string, code: string, parameters: Record<string, unknown>): Promise<string> {
  await i18n.changeLanguage(language);
  const { container, unmount } = render(<ExclusionReason data={exclusion(code, parameters)} />);
  const text = (container.textContent ?? "").replace(/\s/g, " ");
  unmount();
  return text;
}

describe("ExclusionReason", () => {
  it("has a Russian and an English sentence for every value the API may send", () => {
    const codes = schemaEnum("ExclusionReason");
    expect(codes.length).toBeGreaterThanOrEqual(8);
    for (const code of codes) {
      const ru = (messages.ru.excluded.why as Record<string, string>)[code];
      const en = (messages.en.excluded.why as Record<string, string>)[code];
      expect(ru, `ru for ${code}`).toMatch(/[а-яё]/i);
      expect(en, `en for ${code}`).toMatch(/^[^а-яё]+$/i);
    }
    expect(Object.keys(messages.ru.excluded.why).sort()).toEqual([...codes].sort());
  });

  it("renders the parameters in the page's language, numbers and labels through Intl and the enum labels", async () => {
    expect(await renderedIn("ru", "CERTIFICATION_MISSING", { requiredStandard: "AS9100" })).toBe(
      "Нужен сертификат AS9100, в профиле его нет.",
    );
    expect(await renderedIn("ru", "CAPACITY_SHORT", { freeHours: 1200, requiredHours: 2500 })).toBe(
      "До срока поставки свободно 1 200 маш.-ч, а нужно 2 500 маш.-ч.",
    );
    expect(await renderedIn("en", "CAPACITY_SHORT", { freeHours: 1200, requiredHours: 2500 })).toBe(
      "1,200 machine hours free before the need-by date, 2,500 needed.",
    );
    expect(
      await renderedIn("ru", "PART_TOO_LARGE", {
        partMm: [120, 40, 30.5],
        largestPartMm: [100, 100],
        partSource: "MODEL",
        partModelName: "корпус.step",
      }),
    ).toBe(
      "Деталь 120 × 40 × 30,5 мм (габариты модели корпус.step) не помещается ни в каком положении: " +
        "самая большая деталь в профиле — 100 × 100 мм, остальные стороны не ограничены.",
    );
    expect(
      await renderedIn("en", "PART_TOO_LARGE", { partMm: [120, 40, 30], largestPartMm: [50, 100, 100], partSource: "BUYER" }),
    ).toBe(
      "The part, 120 × 40 × 30 mm (the buyer's figures), does not fit in any orientation: the largest part the " +
        "profile takes is 50 × 100 × 100 mm.",
    );
    expect(await renderedIn("ru", "QUANTITY_BELOW_MINIMUM", { quantity: 100, quantityLimit: 5000 })).toBe(
      "Партия 100 шт. меньше минимальной в профиле — 5 000 шт.",
    );
    expect(await renderedIn("ru", "PROCESS_NOT_LISTED", { process: "CNC_MILLING" })).toMatch(
      /^В профиле нет технологии «[^»a-z]+»\.$/,
    );
    await i18n.changeLanguage("ru");
  });
});

import { describe, expect, it } from "vitest";
import { NAME_MAX, savedSearchOf, suggestedName, type BoardFilters } from "./boardSavedSearch";

const board = (patch: Partial<BoardFilters>): BoardFilters => ({
  query: "",
  processes: [],
  regions: [],
  certifications: [],
  materials: [],
  sort: "NEWEST",
  ...patch,
});

const names = {
  process: (value: string) => ({ CNC_MILLING: "Фрезерная обработка", CNC_TURNING: "Токарная обработка" })[value] ?? value,
  region: (code: string) => ({ "RU-MOW": "Москва", "RU-SPE": "Санкт-Петербург" })[code] ?? code,
  certification: (value: string) => value.replace("_", " "),
  everything: "Все открытые заказы",
};

describe("savedSearchOf", () => {
  it("keeps every board filter a saved search holds, and nothing is left unsaved", () => {
    const { input, unsaved } = savedSearchOf(
      board({
        query: "  кронштейн ",
        processes: ["CNC_MILLING"],
        regions: ["RU-MOW", "RU-SPE"],
        certifications: ["ISO_9001"],
        materials: ["Д16Т"],
      }),
    );
    expect(input).toEqual({
      query: "кронштейн",
      filter: { processes: ["CNC_MILLING"], regions: ["RU-MOW", "RU-SPE"], certifications: ["ISO_9001"], materials: ["Д16Т"] },
    });
    expect(unsaved).toEqual([]);
  });

  it("says the sort is not kept, unless a text search (relevance order) makes it moot", () => {
    expect(savedSearchOf(board({ sort: "DEADLINE" })).unsaved).toEqual(["sort"]);
    expect(savedSearchOf(board({ sort: "DEADLINE", query: "вал" })).unsaved).toEqual([]);
    expect(savedSearchOf(board({ sort: "NEWEST" })).unsaved).toEqual([]);
  });
});

describe("suggestedName", () => {
  it("is made of the filters: process · region", () => {
    const { input } = savedSearchOf(board({ processes: ["CNC_MILLING"], regions: ["RU-MOW"] }));
    expect(suggestedName(input, names)).toBe("Фрезерная обработка · Москва");
  });

  it("puts the text first in quotes, then processes, materials, regions and certificates", () => {
    const { input } = savedSearchOf(
      board({
        query: "вал",
        processes: ["CNC_MILLING", "CNC_TURNING"],
        materials: ["Д16Т"],
        regions: ["RU-SPE"],
        certifications: ["ISO_9001"],
      }),
    );
    expect(suggestedName(input, names)).toBe(
      "«вал» · Фрезерная обработка, Токарная обработка · Д16Т · Санкт-Петербург · ISO 9001",
    );
  });

  it("names an unfiltered board for what it is, and never exceeds the API's 100 characters", () => {
    expect(suggestedName(savedSearchOf(board({})).input, names)).toBe("Все открытые заказы");
    const long = suggestedName(savedSearchOf(board({ materials: Array(30).fill("сталь 12Х18Н10Т") })).input, names);
    expect(long.length).toBe(NAME_MAX);
    expect(long.endsWith("…")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { sizeParts } from "./size";

describe("sizeParts", () => {
  it("keeps bytes whole", () => {
    expect(sizeParts(0, "ru-RU")).toEqual({ unit: "B", value: "0" });
    expect(sizeParts(1023, "en-GB")).toEqual({ unit: "B", value: "1,023" });
  });

  it("steps by 1024 with one decimal below ten, in the locale's notation", () => {
    expect(sizeParts(1536, "ru-RU")).toEqual({ unit: "KB", value: "1,5" });
    expect(sizeParts(1536, "en-GB")).toEqual({ unit: "KB", value: "1.5" });
    expect(sizeParts(200 * 1024 * 1024, "en-GB")).toEqual({ unit: "MB", value: "200" });
    expect(sizeParts(3 * 1024 ** 3, "en-GB")).toEqual({ unit: "GB", value: "3" });
  });

  it("says 1 MB rather than 1024 KB when rounding reaches the next unit", () => {
    expect(sizeParts(1024 * 1024 - 1, "en-GB")).toEqual({ unit: "MB", value: "1" });
  });

  it("treats a negative size as zero", () => {
    expect(sizeParts(-5, "en-GB")).toEqual({ unit: "B", value: "0" });
  });
});

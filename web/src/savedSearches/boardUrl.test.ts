import { describe, expect, it } from "vitest";
import { boardUrl } from "./boardUrl";

describe("boardUrl", () => {
  it("puts the text and every filter value in the board's query parameters", () => {
    const url = boardUrl({
      query: "фрезерование Д16Т",
      filter: {
        processes: ["CNC_MILLING", "CNC_TURNING"],
        regions: ["RU-SVE"],
        certifications: ["ISO_9001"],
        materials: ["алюминий д16т"],
      },
    });
    const [path, query] = url.split("?");
    expect(path).toBe("/orders");
    const params = new URLSearchParams(query);
    expect(params.get("q")).toBe("фрезерование Д16Т");
    expect(params.getAll("process")).toEqual(["CNC_MILLING", "CNC_TURNING"]);
    expect(params.getAll("region")).toEqual(["RU-SVE"]);
    expect(params.getAll("cert")).toEqual(["ISO_9001"]);
    expect(params.getAll("material")).toEqual(["алюминий д16т"]);
  });

  it("is the bare board for a search without text or filters", () => {
    expect(boardUrl({ query: "", filter: { processes: [], regions: [], certifications: [], materials: [] } })).toBe(
      "/orders",
    );
  });
});

import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { barLengths, StatusBars } from "./StatusBars";

afterEach(cleanup);

describe("barLengths", () => {
  it("scales to the largest count, keeps small counts visible and zero at zero", () => {
    expect(barLengths([10, 5, 0, 1], 200)).toEqual([200, 100, 0, 20]);
    expect(barLengths([1000, 1], 200)).toEqual([200, 2]);
    expect(barLengths([0, 0], 200)).toEqual([0, 0]);
    expect(barLengths([], 200)).toEqual([]);
  });
});

describe("StatusBars", () => {
  it("draws one bar per status with its count, described in one sentence", () => {
    render(
      <StatusBars
        title="Orders"
        bars={[
          { key: "OPEN", label: "Open", count: 4 },
          { key: "AWARDED", label: "Awarded", count: 2 },
        ]}
      />,
    );
    const chart = screen.getByRole("img");
    expect(chart.getAttribute("aria-label")).toBe("Orders: Open 4, Awarded 2");
    const rows = chart.querySelectorAll("g[data-status]");
    expect(Array.from(rows, (row) => row.getAttribute("data-status"))).toEqual(["OPEN", "AWARDED"]);
    const widths = Array.from(chart.querySelectorAll("rect"), (rect) => Number(rect.getAttribute("width")));
    expect(widths[0]).toBeGreaterThan(widths[1]!);
    expect(widths[1]).toBe(widths[0]! / 2);
    expect(screen.getByText("4")).toBeTruthy();
    expect(screen.getByText("Awarded")).toBeTruthy();
  });
});

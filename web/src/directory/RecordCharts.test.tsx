import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { FragmentOf } from "../graphql";
import { barsOf, RecordCharts, type RecordChartsFragment } from "./RecordCharts";

const month = (iso: string, delivered: number, onTime: number, disputed: number, rating: number | null, ratings = 0) => ({
  month: iso,
  delivered,
  deliveredOnTime: onTime,
  disputed,
  ratingAverage: rating,
  ratingCount: ratings,
});
const organisation = (history: unknown[]) =>
  ({ id: "T3JnOjE=", kpiHistory: history }) as unknown as FragmentOf<typeof RecordChartsFragment>;

describe("barsOf", () => {
  it("scales bars to the maximum and leaves months without a value empty", () => {
    const bars = barsOf(
      [
        { label: "a", value: 1 },
        { label: "b", value: null },
        { label: "c", value: 0.5 },
        { label: "d", value: 0 },
      ],
      1,
    );
    expect(bars.map((bar) => [bar.x, bar.height])).toEqual([
      [9, 60],
      [129, 30],
      [189, 2], // a measured zero: a stub
    ]);
  });
});

describe("RecordCharts", () => {
  it("draws three charts with text alternatives and the numbers in tables", () => {
    render(
      <RecordCharts
        data={organisation([
          month("2026-10-01", 2, 1, 1, null),
          month("2026-11-01", 0, 0, 0, null),
          month("2026-12-01", 3, 3, 0, 4.5, 2),
        ])}
      />,
    );
    expect(screen.getByRole("img", { name: "Поставки в срок по месяцам: в срок 4 из 5 отгрузок за год" })).toBeTruthy();
    expect(screen.getByRole("img", { name: "Споры по месяцам: споры: 1 на 5 отгрузок за год" })).toBeTruthy();
    expect(screen.getByRole("img", { name: "Оценки по месяцам: 2 отзыва за год" })).toBeTruthy();
    const onTime = screen.getAllByRole("table")[0]!;
    expect(onTime.textContent?.replace(/\s/g, " ")).toContain("50 %");
    expect(onTime.textContent).toContain("—");
  });

  it("draws nothing for a manufacturer without a record", () => {
    const { container } = render(<RecordCharts data={organisation([month("2026-12-01", 0, 0, 0, null)])} />);
    expect(container.textContent).toBe("");
  });
});

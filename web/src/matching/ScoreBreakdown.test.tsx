import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { FragmentOf } from "../graphql";
import { ScoreBreakdown, type ScoreExplanationFragment } from "./ScoreBreakdown";

// Fragment data as the API sends it (masked types are opaque to the test).
const explanation = (factor: string, value: number, weight: number, contribution: number) =>
  ({ factor, value, weight, contribution }) as unknown as FragmentOf<typeof ScoreExplanationFragment>;

describe("ScoreBreakdown", () => {
  it("writes out each factor's value, weight and points, with bars scaled to what each can add", () => {
    render(
      <ScoreBreakdown
        name="ООО «Урал»"
        score={0.6}
        explanations={[
          explanation("on_time", 0.5, 2, 0.2),
          explanation("region", 1, 1, 0.2),
          explanation("price", 0.8, 2, 0.32),
          explanation("something_new", 0, 0, 0),
        ]}
      />,
    );
    expect(screen.getByText("Соответствие: 60 из 100")).toBeTruthy();
    const table = screen.getByRole("table", { name: "Из чего сложилась оценка ООО «Урал»" });
    const onTime = within(table).getByRole("row", { name: /Поставки в срок/ });
    expect(onTime.textContent?.replace(/\s/g, " ")).toContain("50 % × вес 2");
    expect(onTime.textContent).toContain("20 из 40");
    const region = within(table).getByRole("row", { name: /Близость к месту доставки/ });
    expect(region.textContent).toContain("20 из 20");
    // An unknown factor keeps its API name rather than disappearing.
    expect(within(table).getByRole("row", { name: /something_new/ })).toBeTruthy();
    const bars = screen.getAllByTestId("factor-bar");
    expect(bars.map((bar) => bar.style.width)).toEqual(["100%", "50%", "100%", "0%"]);
    expect((bars[0]!.firstElementChild as HTMLElement).style.width).toBe("50%");
    expect((bars[2]!.firstElementChild as HTMLElement).style.width).toBe("80%");
    // The bars are decoration for sighted readers: the numbers are in the text.
    expect(bars[0]!.parentElement?.getAttribute("aria-hidden")).toBe("true");
  });
});

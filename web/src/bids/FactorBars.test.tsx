import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FactorBars, scoreOutOf100 } from "./FactorBars";

describe("FactorBars", () => {
  it("draws a bar per factor with the same facts as text, in the page's language", () => {
    const explanations = [
      { factor: "price", value: 0.78, weight: 3, contribution: 0.39 },
      { factor: "lead_time", value: 1.2, weight: 1, contribution: 0.17 },
      { factor: "something_new", value: 0.5, weight: 2, contribution: 0.166 },
    ];
    // The fragment's masked type is only a marker: the component reads the fields through readFragment.
    const { container } = render(<FactorBars explanations={explanations as never} label="Почему" />);
    const list = screen.getByRole("list", { name: "Почему" });
    expect([...list.querySelectorAll(".factor-text")].map((node) => node.textContent)).toEqual([
      "Цена: 78 из 100, вес 3, вклад 0,39",
      "Срок изготовления: 100 из 100, вес 1, вклад 0,17",
      "something_new: 50 из 100, вес 2, вклад 0,17",
    ]);
    const widths = [...container.querySelectorAll<HTMLElement>(".factor-fill")].map((bar) => bar.style.width);
    expect(widths).toEqual(["78%", "100%", "50%"]);
    expect(container.querySelector(".factor-bar")?.getAttribute("aria-hidden")).toBe("true");
  });

  it("shows a score as a whole number out of 100, within bounds", () => {
    expect(scoreOutOf100(0.604)).toBe(60);
    expect(scoreOutOf100(1.3)).toBe(100);
    expect(scoreOutOf100(-0.1)).toBe(0);
  });
});

import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import i18n from "i18next";
import { NumberInput } from "./NumberInput";

afterEach(cleanup);

const group = new Intl.NumberFormat("ru-RU").formatToParts(1000).find((part) => part.type === "group")!.value;
const ruText = (text: string) => text.replaceAll(" ", group);

function Budget({ initial = "", fractionDigits = 2 }: { initial?: string; fractionDigits?: number }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <label htmlFor="budget">Бюджет до</label>
      <NumberInput id="budget" value={value} onChange={setValue} fractionDigits={fractionDigits} unit="₽" />
      <output data-testid="value">{value}</output>
      <button type="button" onClick={() => setValue("2000")}>
        reset
      </button>
    </>
  );
}

describe("NumberInput", () => {
  it("shows «1 500 000,5» for 1500000,5 typed and hands the form 1500000.5", () => {
    render(<Budget />);
    const input = screen.getByLabelText<HTMLInputElement>("Бюджет до");
    fireEvent.change(input, { target: { value: "1500000,5" } });
    expect(input.value).toBe(ruText("1 500 000,5"));
    expect(screen.getByTestId("value").textContent).toBe("1500000.5");
    expect(input.getAttribute("inputmode")).toBe("decimal");
  });

  it("reads a pasted «150 000 ₽»", () => {
    render(<Budget />);
    const input = screen.getByLabelText<HTMLInputElement>("Бюджет до");
    fireEvent.change(input, { target: { value: "150 000 ₽" } });
    expect(input.value).toBe(ruText("150 000"));
    expect(screen.getByTestId("value").textContent).toBe("150000");
  });

  it("keeps the size of an English figure pasted into a Russian page", () => {
    render(<Budget />);
    const input = screen.getByLabelText<HTMLInputElement>("Бюджет до");
    fireEvent.input(input, { target: { value: "1,500,000.50" }, inputType: "insertFromPaste" });
    expect(input.value).toBe(ruText("1 500 000,50"));
    expect(screen.getByTestId("value").textContent).toBe("1500000.50");
  });

  it("keeps a trailing decimal sign on screen while the value stays whole", () => {
    render(<Budget />);
    const input = screen.getByLabelText<HTMLInputElement>("Бюджет до");
    fireEvent.change(input, { target: { value: "1500," } });
    expect(input.value).toBe(ruText("1 500,"));
    expect(screen.getByTestId("value").textContent).toBe("1500");
  });

  it("shows an amount loaded from the API, and a value set from outside", () => {
    render(<Budget initial="250000.00" />);
    const input = screen.getByLabelText<HTMLInputElement>("Бюджет до");
    expect(input.value).toBe(ruText("250 000,00"));
    fireEvent.click(screen.getByRole("button", { name: "reset" }));
    expect(input.value).toBe(ruText("2 000"));
  });

  it("ignores a letter typed into a whole number, and writes English with commas", async () => {
    render(<Budget initial="12000" fractionDigits={0} />);
    const input = screen.getByLabelText<HTMLInputElement>("Бюджет до");
    expect(input.getAttribute("inputmode")).toBe("numeric");
    fireEvent.change(input, { target: { value: ruText("12 000x") } });
    expect(input.value).toBe(ruText("12 000"));
    expect(screen.getByTestId("value").textContent).toBe("12000");
    await act(async () => {
      await i18n.changeLanguage("en");
    });
    try {
      expect(input.value).toBe("12,000");
    } finally {
      await act(async () => {
        await i18n.changeLanguage("ru");
      });
    }
  });
});

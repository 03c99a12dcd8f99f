import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { FundingProgress, receivedShare } from "./FundingProgress";

afterEach(cleanup);

const rub = (amount: string) => ({ amount, currency: "RUB" });

describe("receivedShare", () => {
  it("is the received part of the amount due, kept between 0 and 1", () => {
    expect(receivedShare({ amountDue: rub("150000.00"), received: rub("60000.00"), remaining: rub("90000.00") })).toBe(0.4);
    expect(receivedShare({ amountDue: rub("100.00"), received: rub("150.00"), remaining: rub("0.00") })).toBe(1);
    expect(receivedShare({ amountDue: rub("0.00"), received: rub("0.00"), remaining: rub("0.00") })).toBe(0);
  });
});

describe("FundingProgress", () => {
  it("shows the API's figures and fills the bar by the share received", () => {
    render(<FundingProgress funding={{ amountDue: rub("150000.00"), received: rub("60000.00"), remaining: rub("90000.00") }} />);
    const bar = document.querySelector("progress");
    expect(bar?.getAttribute("value")).toBe("40");
    expect(screen.getByTestId("remaining").textContent).toMatch(/90\s?000/);
    expect(screen.getByTestId("received").textContent).toMatch(/60\s?000/);
  });
});

import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TaxesPage } from "./TaxesPage";

const answer = (data: unknown) => ({ data, operation: {} as never, stale: false, hasNext: false });

afterEach(cleanup);

describe("TaxesPage's fee report", () => {
  it("picks the year from a list, this year first, and asks for the year picked", async () => {
    const executeQuery = vi.fn((operation: { variables: Record<string, unknown> }) =>
      fromValue(
        answer(
          "since" in operation.variables
            ? { platformFeeReport: { __typename: "PlatformFeeReport", timeZone: "Europe/Moscow", months: [], totals: [] } }
            : { taxStatusesToCheck: { edges: [] } },
        ),
      ),
    );
    render(
      <MemoryRouter>
        <Provider value={{ executeQuery, executeMutation: vi.fn() } as unknown as Client}>
          <TaxesPage />
        </Provider>
      </MemoryRouter>,
    );
    const year = screen.getByLabelText("Год") as HTMLSelectElement;
    const now = new Date().getFullYear();
    expect(year.tagName).toBe("SELECT");
    expect(year.value).toBe(String(now));
    expect([...year.options].map((option) => option.textContent)).toEqual(
      Array.from({ length: 11 }, (_, back) => String(now - back)),
    );
    fireEvent.change(year, { target: { value: String(now - 2) } });
    await waitFor(() =>
      expect(executeQuery).toHaveBeenCalledWith(
        expect.objectContaining({
          variables: { since: `${now - 2}-01-01`, until: `${now - 1}-01-01` },
        }),
        expect.anything(),
      ),
    );
  });

  it("shows each month's amounts as money in Russian, and the year's total under them", async () => {
    const rub = (amount: string) => ({ amount, currency: "RUB" });
    const report = {
      __typename: "PlatformFeeReport",
      timeZone: "Europe/Moscow",
      months: [
        { month: "2027-02-01", releases: 2, net: rub("6188.53"), vat: rub("1361.47"), gross: rub("7550.00") },
        { month: "2027-03-01", releases: 1, net: rub("1000000.00"), vat: rub("220000.00"), gross: rub("1220000.00") },
      ],
      totals: [{ currency: "RUB", releases: 3, net: rub("1006188.53"), vat: rub("221361.47"), gross: rub("1227550.00") }],
    };
    const executeQuery = vi.fn((operation: { variables: Record<string, unknown> }) =>
      fromValue(answer("since" in operation.variables ? { platformFeeReport: report } : { taxStatusesToCheck: { edges: [] } })),
    );
    render(
      <MemoryRouter>
        <Provider value={{ executeQuery, executeMutation: vi.fn() } as unknown as Client}>
          <TaxesPage />
        </Provider>
      </MemoryRouter>,
    );
    const rows = (await screen.findAllByRole("row")).map((row) => row.textContent?.replace(/\s/g, " "));
    const year = new Date().getFullYear();
    // Every amount with its kopecks, so that a column's digits line up.
    expect(rows).toEqual([
      "МесяцБез НДСНДСВсегоЧисло выплат",
      "февраль 2027 г.6 188,53 ₽1 361,47 ₽7 550,00 ₽2",
      "март 2027 г.1 000 000,00 ₽220 000,00 ₽1 220 000,00 ₽1",
      `Итого за ${year}1 006 188,53 ₽221 361,47 ₽1 227 550,00 ₽3`,
    ]);
    // The months are the reporting time zone's, and the page says which.
    expect(screen.getByText("Месяцы и границы года — по часовому поясу Europe/Moscow.")).toBeTruthy();
  });
});

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
            ? { platformFeeReport: { __typename: "PlatformFeeReport", months: [] } }
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
    const now = new Date().getUTCFullYear();
    expect(year.tagName).toBe("SELECT");
    expect(year.value).toBe(String(now));
    expect([...year.options].map((option) => option.textContent)).toEqual(
      Array.from({ length: 11 }, (_, back) => String(now - back)),
    );
    fireEvent.change(year, { target: { value: String(now - 2) } });
    await waitFor(() =>
      expect(executeQuery).toHaveBeenCalledWith(
        expect.objectContaining({
          variables: { since: `${now - 2}-01-01T00:00:00Z`, until: `${now - 1}-01-01T00:00:00Z` },
        }),
        expect.anything(),
      ),
    );
  });
});

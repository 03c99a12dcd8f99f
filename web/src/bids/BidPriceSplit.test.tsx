import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BidPriceSplit } from "./BidPriceSplit";

const money = (amount: string) => ({ amount, currency: "RUB" });

function clientAnswering(payload: unknown) {
  const executeQuery = vi.fn(() =>
    fromValue({ data: { bidPriceSplit: payload }, operation: {} as never, stale: false, hasNext: false }),
  );
  return { client: { executeQuery } as unknown as Client, executeQuery };
}

afterEach(cleanup);

describe("BidPriceSplit", () => {
  it("asks the API for the split of what was typed and shows its net, VAT and gross", async () => {
    const { client, executeQuery } = clientAnswering({
      __typename: "BidPriceSplit",
      total: {
        rate: "22.00",
        treatment: "VAT",
        net: money("123770.50"),
        vat: money("27229.51"),
        gross: money("151000.01"),
      },
    });
    render(
      <Provider value={client}>
        <BidPriceSplit unitPrice="300.00" quantity={500} tooling="1000.01" currency="RUB" delay={0} />
      </Provider>,
    );

    await waitFor(() => expect(screen.getByTestId("bid-split-gross").textContent).toMatch(/151\s000,01/));
    expect(screen.getByTestId("bid-split-net").textContent).toMatch(/123\s770,50/);
    expect(screen.getByTestId("bid-split-vat").textContent).toMatch(/27\s229,51/);
    expect(screen.getByText("НДС 22 %")).toBeTruthy();
    const variables = (executeQuery.mock.calls.at(-1) as unknown as [{ variables: Record<string, unknown> }])[0]
      .variables;
    expect(variables).toEqual({
      unitPrice: { amount: "300.00", currency: "RUB" },
      quantity: 500,
      tooling: { amount: "1000.01", currency: "RUB" },
    });
  });

  it("says «без НДС» for a seller without VAT, as the API labels it", async () => {
    const { client } = clientAnswering({
      __typename: "BidPriceSplit",
      total: {
        rate: null,
        treatment: "SIMPLIFIED_NO_VAT",
        net: money("145000.00"),
        vat: money("0.00"),
        gross: money("145000.00"),
      },
    });
    render(
      <Provider value={client}>
        <BidPriceSplit unitPrice="290" quantity={500} tooling="" currency="RUB" delay={0} />
      </Provider>,
    );
    await waitFor(() => expect(screen.getByText("Без НДС (УСН)")).toBeTruthy());
    expect(screen.getByTestId("bid-split-gross").textContent).toMatch(/145\s000/);
  });

  it("shows the API's refusal instead of figures, and asks nothing before a price is typed", async () => {
    const { client, executeQuery } = clientAnswering({
      __typename: "ValidationError",
      message: "use at most 2 decimal places",
      code: "INVALID",
      field: "unitPrice.amount",
    });
    const { rerender } = render(
      <Provider value={client}>
        <BidPriceSplit unitPrice="" quantity={10} tooling="" currency="RUB" delay={0} />
      </Provider>,
    );
    expect(screen.getByText(/Введите цену/)).toBeTruthy();
    expect(executeQuery).not.toHaveBeenCalled();

    rerender(
      <Provider value={client}>
        <BidPriceSplit unitPrice="12.345" quantity={10} tooling="" currency="RUB" delay={0} />
      </Provider>,
    );
    await waitFor(() => expect(screen.getByText(/Значение не подходит/)).toBeTruthy());
    expect(screen.queryByTestId("bid-split-gross")).toBeNull();
  });
});

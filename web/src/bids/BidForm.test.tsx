import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Provider, type Client } from "urql";
import { fromValue, never } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BidForm, decimalOf } from "./BidForm";

const order = {
  id: "T3JkZXI6MQ==",
  quantity: 200,
  allowSplit: true,
  biddingDeadline: "2027-01-10T12:00:00Z",
  budget: { min: { currency: "RUB" } },
};

function clientAnswering(data: unknown) {
  const executeMutation = vi.fn(() => fromValue({ data, operation: {} as never, stale: false, hasNext: false }));
  // The live VAT split's query (BidPriceSplit) is left unanswered here; BidPriceSplit.test.tsx covers it.
  const executeQuery = vi.fn(() => never);
  return { client: { executeMutation, executeQuery } as unknown as Client, executeMutation };
}

afterEach(cleanup);

describe("decimalOf", () => {
  it("takes Russian spacing and a decimal comma, and leaves the rest to the API", () => {
    expect(decimalOf("1 250,50")).toBe("1250.50");
    expect(decimalOf("1\u00a0500")).toBe("1500");
    expect(decimalOf("-5")).toBe("-5");
  });
});

describe("BidForm", () => {
  it("sends the terms as typed and shows the API's refusal at its field, keeping what was typed", async () => {
    const { client, executeMutation } = clientAnswering({
      placeBid: { __typename: "ValidationError", message: "amount must not be negative", field: "unitPrice.amount" },
    });
    const onSaved = vi.fn();
    render(
      <Provider value={client}>
        <BidForm order={order as never} onSaved={onSaved} />
      </Provider>,
    );
    fireEvent.change(screen.getByLabelText("Цена за единицу, ₽"), { target: { value: "1500000,5" } });
    fireEvent.change(screen.getByLabelText("Количество, шт."), { target: { value: "50" } });
    fireEvent.change(screen.getByLabelText("Срок изготовления, дней"), { target: { value: "14" } });
    // Grouped as a Russian reader writes them, in the input and in the summary under it.
    expect(screen.getByText(/1\s500\s000,50\s₽ × 50 шт\. \+ оснастка 0/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Отправить предложение" }));

    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("amount must not be negative"));
    const variables = (executeMutation.mock.calls[0] as unknown as [{ variables: Record<string, unknown> }])[0]
      .variables;
    expect(variables).toEqual({
      input: {
        orderId: "T3JkZXI6MQ==",
        terms: {
          unitPrice: { amount: "1500000.5", currency: "RUB" },
          tooling: null,
          leadTimeDays: 14,
          validUntil: "2027-02-09",
          notes: "",
          quantity: 50,
        },
      },
    });
    const price = screen.getByLabelText("Цена за единицу, ₽") as HTMLInputElement;
    expect(price.getAttribute("aria-invalid")).toBe("true");
    expect(price.value).toBe("1\u00a0500\u00a0000,5");
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("revises an existing bid with its terms filled in and reports the new revision", async () => {
    const { client, executeMutation } = clientAnswering({
      reviseBid: { __typename: "BidSuccess", bid: { id: "QmlkOjI=" } },
    });
    const onSaved = vi.fn();
    const bid = {
      id: "QmlkOjE=",
      quantity: 200,
      leadTimeDays: 21,
      validUntil: "2027-01-20",
      notes: "Анодирование",
      unitPrice: { amount: "1500.00" },
      tooling: { amount: "30000.00" },
    };
    render(
      <Provider value={client}>
        <BidForm order={{ ...order, allowSplit: false } as never} bid={bid as never} onSaved={onSaved} />
      </Provider>,
    );
    expect((screen.getByLabelText("Цена за единицу, ₽") as HTMLInputElement).value).toBe("1\u00a0500,00");
    expect(screen.queryByLabelText("Количество, шт.")).toBeNull();
    fireEvent.change(screen.getByLabelText("Цена за единицу, ₽"), { target: { value: "1 400" } });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить новую редакцию" }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith("QmlkOjI="));
    const variables = (executeMutation.mock.calls[0] as unknown as [{ variables: Record<string, unknown> }])[0]
      .variables;
    expect(variables).toMatchObject({
      bidId: "QmlkOjE=",
      terms: { unitPrice: { amount: "1400", currency: "RUB" }, tooling: { amount: "30000.00", currency: "RUB" }, quantity: null },
    });
  });
});

import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ResolveForm } from "./ResolveForm";

const rub = (amount: string) => ({ amount, currency: "RUB" });
const answer = (data: unknown) => ({ data, operation: {} as never, stale: false, hasNext: false });

function clientAnswering(preview: unknown, resolved: unknown = null) {
  const query = vi.fn(() => ({ toPromise: () => Promise.resolve(answer({ settlementPreview: preview })) }));
  const executeMutation = vi.fn(() => fromValue(answer({ resolveDispute: resolved })));
  return { client: { query, executeMutation } as unknown as Client, query, executeMutation };
}

function renderForm(client: Client, onResolved = vi.fn()) {
  render(
    <MemoryRouter>
      <Provider value={client}>
        <ResolveForm contractId="Q29udHJhY3Q6MQ==" escrow={rub("150000.00")} onResolved={onResolved} />
      </Provider>
    </MemoryRouter>,
  );
  return onResolved;
}

afterEach(cleanup);

describe("ResolveForm", () => {
  it("shows the API's refusal of the release at its field and offers no confirmation", async () => {
    const { client, query, executeMutation } = clientAnswering({
      __typename: "ValidationError",
      message: "more than escrow holds",
      code: "OUT_OF_RANGE",
      field: "release.amount",
    });
    renderForm(client);
    fireEvent.change(screen.getByLabelText("Производителю, ₽"), { target: { value: "150 000,01" } });
    fireEvent.click(screen.getByRole("button", { name: "Рассчитать распределение" }));

    await waitFor(() => expect(screen.getByText("Исправьте ошибки")).toBeTruthy());
    expect(query).toHaveBeenCalledWith(
      expect.anything(),
      { id: "Q29udHJhY3Q6MQ==", release: rub("150000.01") },
      { requestPolicy: "network-only" },
    );
    expect(screen.getByLabelText("Производителю, ₽").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByRole("button", { name: "Подтвердить решение" })).toBeNull();
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it("settles only after the split is shown, with the release and the note as typed", async () => {
    const { client, executeMutation } = clientAnswering(
      {
        __typename: "SettlementPreview",
        escrowHeld: rub("150000.00"),
        release: rub("120000.00"),
        platformFee: rub("6000.00"),
        manufacturerNet: rub("114000.00"),
        buyerRefund: rub("30000.00"),
      },
      { __typename: "ContractSuccess", contract: { id: "Q29udHJhY3Q6MQ==", status: "COMPLETED", escrowBalance: rub("0") } },
    );
    const onResolved = renderForm(client);
    fireEvent.change(screen.getByLabelText("Производителю, ₽"), { target: { value: "120 000" } });
    fireEvent.change(screen.getByLabelText(/Обоснование решения/), { target: { value: "20 % брака" } });
    fireEvent.click(screen.getByRole("button", { name: "Рассчитать распределение" }));

    await waitFor(() => expect(screen.getByTestId("split-net").textContent).toMatch(/114\s000/));
    expect(screen.getByTestId("split-refund").textContent).toMatch(/30\s000/);
    expect(executeMutation).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Подтвердить решение" }));

    await waitFor(() => expect(onResolved).toHaveBeenCalledTimes(1));
    const [operation] = executeMutation.mock.calls[0] as unknown as [{ variables: unknown }];
    expect(operation.variables).toEqual({ id: "Q29udHJhY3Q6MQ==", release: rub("120000"), note: "20 % брака" });
  });
});

import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EnvelopePanel } from "./EnvelopePanel";

const answer = (data: unknown) => ({ data, operation: {} as never, stale: false, hasNext: false });

function renderPanel(payload: unknown) {
  const executeMutation = vi.fn(() => fromValue(answer({ setOrderPartEnvelope: payload })));
  const client = { executeMutation } as unknown as Client;
  const onChanged = vi.fn();
  render(
    <Provider value={client}>
      <EnvelopePanel
        orderId="T3JkZXI6MQ=="
        envelope={{ xMm: 1200.5, yMm: 600, zMm: 300, source: "MODEL", updatedAt: "2026-03-25T09:00:00Z" }}
        canChange
        onChanged={onChanged}
      />
    </Provider>,
  );
  return { executeMutation, onChanged };
}

afterEach(cleanup);

describe("EnvelopePanel", () => {
  it("shows the sizes grouped in text inputs and sends what was typed, «1 500,5» as 1500.5", async () => {
    const { executeMutation, onChanged } = renderPanel({
      __typename: "PartEnvelopeSuccess",
      order: { id: "T3JkZXI6MQ==" },
      envelope: { xMm: 1500.5, yMm: 600, zMm: 300, source: "BUYER", updatedAt: "2026-03-25T10:00:00Z" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Исправить габариты" }));
    const length = screen.getByLabelText("Длина X, мм") as HTMLInputElement;
    expect(length.type).toBe("text");
    expect(length.value).toBe("1\u00a0200,5");
    fireEvent.change(length, { target: { value: "1 500,5" } });
    expect(length.value).toBe("1\u00a0500,5");
    fireEvent.change(screen.getByLabelText("Высота Z, мм"), { target: { value: "300.25" } });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить габариты" }));

    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    const [operation] = executeMutation.mock.calls[0] as unknown as [{ variables: unknown }];
    expect(operation.variables).toEqual({ orderId: "T3JkZXI6MQ==", envelope: { xMm: 1500.5, yMm: 600, zMm: 300.25 } });
  });

  it("refuses a blank size at its field without asking the API", () => {
    const { executeMutation } = renderPanel(null);
    fireEvent.click(screen.getByRole("button", { name: "Исправить габариты" }));
    fireEvent.change(screen.getByLabelText("Ширина Y, мм"), { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить габариты" }));

    expect(screen.getByLabelText("Ширина Y, мм").getAttribute("aria-invalid")).toBe("true");
    expect(executeMutation).not.toHaveBeenCalled();
  });
});

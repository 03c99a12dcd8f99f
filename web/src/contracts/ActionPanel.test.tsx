import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { describe, expect, it, vi } from "vitest";
import type { FragmentOf } from "../graphql";
import { ActionPanel, type ContractActionsFragment } from "./ActionPanel";

// `card` is what the API gives the buyer's members when the exchange takes cards (fundingInstructions.card).
const contract = (actions: { action: string; needs: string[]; irreversible: boolean }[], method = "bank_transfer") =>
  ({
    id: "Q29udHJhY3Q6MQ==",
    availableActions: actions,
    fundingInstructions: { method, card: method === "stripe" ? { publishableKey: "pk_test_1" } : null },
  }) as unknown as FragmentOf<
    typeof ContractActionsFragment
  >;

/** A client whose mutations answer `results` in turn, recording what was sent. */
function clientAnswering(...results: unknown[]) {
  const mutation = vi.fn((_document: unknown, _variables: Record<string, unknown>) => ({
    toPromise: async () => ({ data: { result: results.shift() } }),
  }));
  return { client: { mutation } as unknown as Client, mutation };
}

function panel(data: ReturnType<typeof contract>, client: Client, onDone: () => void, onStale: () => void) {
  return (
    <MemoryRouter>
      <Provider value={client}>
        <ActionPanel data={data} onDone={onDone} onStale={onStale} />
      </Provider>
    </MemoryRouter>
  );
}

function renderPanel(data: ReturnType<typeof contract>, client: Client, onDone = vi.fn(), onStale = vi.fn()) {
  render(panel(data, client, onDone, onStale));
  return onDone;
}

describe("ActionPanel", () => {
  it("offers exactly the API's actions; one needing nothing runs at once", async () => {
    const { client, mutation } = clientAnswering({ __typename: "ContractSuccess", contract: { id: "1", status: "IN_PRODUCTION" } });
    const onDone = renderPanel(contract([{ action: "START_PRODUCTION", needs: [], irreversible: false }]), client);
    expect(screen.getAllByRole("button").map((button) => button.textContent)).toEqual(["Начать производство"]);
    fireEvent.click(screen.getByRole("button", { name: "Начать производство" }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith("START_PRODUCTION"));
    expect(mutation.mock.calls[0]![1]).toEqual({ id: "Q29udHJhY3Q6MQ==" });
  });

  it("asks for the tracking reference and a confirmation before shipping, and shows a refusal at the field", async () => {
    const { client, mutation } = clientAnswering(
      { __typename: "ValidationError", message: "must not be empty", code: "REQUIRED", field: "trackingReference" },
      { __typename: "ContractSuccess", contract: { id: "1", status: "SHIPPED" } },
    );
    const onDone = renderPanel(
      contract([
        { action: "SUBMIT_FIRST_ARTICLE", needs: ["NOTE"], irreversible: false },
        { action: "SHIP", needs: ["TRACKING_REFERENCE"], irreversible: true },
      ]),
      client,
    );
    fireEvent.click(screen.getByRole("button", { name: "Отгрузить" }));
    const form = screen.getByRole("form", { name: "Отгрузить" });
    expect(within(form).getByText("Это действие нельзя отменить.")).toBeTruthy();
    fireEvent.click(within(form).getByRole("button", { name: "Подтвердить: Отгрузить" }));
    await waitFor(() => expect(within(form).getByRole("alert").textContent).toContain("Заполните это поле."));
    expect(onDone).not.toHaveBeenCalled();
    expect(within(form).getByLabelText("Трек-номер или номер накладной").getAttribute("aria-invalid")).toBe("true");

    fireEvent.change(within(form).getByLabelText("Трек-номер или номер накладной"), { target: { value: "СДЭК 42" } });
    fireEvent.click(within(form).getByRole("button", { name: "Подтвердить: Отгрузить" }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith("SHIP"));
    expect(mutation.mock.calls[1]![1]).toEqual({ id: "Q29udHJhY3Q6MQ==", trackingReference: "СДЭК 42" });
  });

  it("says why a first article submitted from a stale room is refused: the buyer approved one already", async () => {
    cleanup(); // the panels rendered above
    const { client } = clientAnswering({
      __typename: "InvalidStateError",
      message: "the first article was approved already: production goes on to shipping",
      code: "FIRST_ARTICLE_APPROVED",
      field: null,
    });
    const onDone = renderPanel(contract([{ action: "SUBMIT_FIRST_ARTICLE", needs: ["NOTE"], irreversible: false }]), client);
    fireEvent.click(screen.getByRole("button", { name: "Предъявить первый образец" }));
    const form = screen.getByRole("form", { name: "Предъявить первый образец" });
    fireEvent.click(within(form).getByRole("button", { name: "Предъявить первый образец" }));
    await waitFor(() =>
      expect(within(form).getByRole("alert").textContent).toContain(
        "Первый образец уже принят заказчиком, повторно его не предъявляют. Следующий шаг — отгрузка.",
      ),
    );
    expect(onDone).not.toHaveBeenCalled();
  });

  it("reads a contract that has moved on again after a refused step, and keeps the reason once the step is gone", async () => {
    cleanup();
    const { client } = clientAnswering({
      __typename: "InvalidStateError",
      message: "the first article was approved already: production goes on to shipping",
      code: "FIRST_ARTICLE_APPROVED",
      field: null,
    });
    const onDone = vi.fn();
    const onStale = vi.fn();
    const before = contract([{ action: "SUBMIT_FIRST_ARTICLE", needs: ["NOTE"], irreversible: false }]);
    const { rerender } = render(panel(before, client, onDone, onStale));
    expect(screen.queryByRole("alert")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Предъявить первый образец" }));
    fireEvent.click(
      within(screen.getByRole("form", { name: "Предъявить первый образец" })).getByRole("button", {
        name: "Предъявить первый образец",
      }),
    );
    await waitFor(() => expect(onStale).toHaveBeenCalledTimes(1));
    expect(onDone).not.toHaveBeenCalled();

    // The page's re-read: the API now offers shipping only.
    rerender(panel(contract([{ action: "SHIP", needs: ["TRACKING_REFERENCE"], irreversible: true }]), client, onDone, onStale));
    expect(screen.queryByRole("form", { name: "Предъявить первый образец" })).toBeNull();
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Пока страница была открыта, контракт изменился — действия обновлены");
    expect(alert.textContent).toContain("Первый образец уже принят заказчиком, повторно его не предъявляют.");
    expect(screen.getAllByRole("button").map((button) => button.textContent)).toEqual(["Отгрузить"]);
  });

  it("does not re-read the contract for a refusal of what was typed", async () => {
    cleanup();
    const { client } = clientAnswering({
      __typename: "ValidationError",
      message: "must not be empty",
      code: "REQUIRED",
      field: "reason",
    });
    const onStale = vi.fn();
    renderPanel(contract([{ action: "OPEN_DISPUTE", needs: ["REASON"], irreversible: true }]), client, vi.fn(), onStale);
    fireEvent.click(screen.getByRole("button", { name: "Открыть спор" }));
    const form = screen.getByRole("form", { name: "Открыть спор" });
    fireEvent.click(within(form).getByRole("button", { name: "Подтвердить: Открыть спор" }));
    await waitFor(() => expect(within(form).getByRole("alert").textContent).toContain("Заполните это поле."));
    expect(onStale).not.toHaveBeenCalled();
  });

  it("sends the buyer to card payment only when the API offers it", () => {
    const { client } = clientAnswering();
    renderPanel(contract([{ action: "FUND", needs: [], irreversible: false }], "stripe"), client);
    expect(screen.getByRole("link", { name: "Оплатить картой" }).getAttribute("href")).toBe("/contracts/Q29udHJhY3Q6MQ%3D%3D/pay");
  });
});

// The operator's dispute page draws the contract's story with the contract room's timeline (one component, one
// style): the lifecycle, and the audit log open — who did what, when, and what they said. Against urql's real client;
// the server's answer is given here.
import { cleanup, render, screen, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { Client, Provider, fetchExchange } from "urql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DisputePage } from "./DisputePage";

const money = (amount: string) => ({ amount, currency: "RUB" });
const buyer = { id: "b", name: "ООО «Заказчик»" };
const maker = { id: "m", name: "ООО «Фреза»" };

const story = {
  contract: {
    id: "Q29udHJhY3Q6MQ==",
    status: "DISPUTED",
    quantity: 500,
    trackingReference: "СДЭК 1029384756",
    total: money("150000.00"),
    platformFee: money("7500.00"),
    escrowBalance: money("150000.00"),
    order: { id: "o", title: "Вал приводной" },
    buyer,
    manufacturer: maker,
    timeline: [
      { status: "PENDING_FUNDING", state: "DONE", reachedAt: "2026-12-01T09:00:00+00:00", reachedBy: "BUYER", reachedByName: "Анна Петрова" },
      { status: "SHIPPED", state: "DONE", reachedAt: "2026-12-02T09:00:00+00:00", reachedBy: "MANUFACTURER", reachedByName: "Иван Сидоров" },
      { status: "DISPUTED", state: "CURRENT", reachedAt: "2026-12-03T09:00:00+00:00", reachedBy: "BUYER", reachedByName: "Анна Петрова" },
      { status: "COMPLETED", state: "UPCOMING", reachedAt: null, reachedBy: null, reachedByName: null },
    ],
    events: [
      { id: "e1", transition: "award", actor: "BUYER", actorName: "Анна Петрова", note: "", noteKind: null, createdAt: "2026-12-01T09:00:00+00:00", organisation: buyer },
      { id: "e2", transition: "ship", actor: "MANUFACTURER", actorName: "Иван Сидоров", note: "СДЭК 1029384756", noteKind: "TRACKING_REFERENCE", createdAt: "2026-12-02T09:00:00+00:00", organisation: maker },
      { id: "e3", transition: "dispute", actor: "BUYER", actorName: "Анна Петрова", note: "20 % деталей вне допуска", noteKind: "REASON", createdAt: "2026-12-03T09:00:00+00:00", organisation: buyer },
    ],
    milestones: [],
    ledgerLines: [],
  },
  contractMessages: { edges: [] },
};

function showing() {
  const send = vi.fn(
    async () =>
      new Response(JSON.stringify({ data: story }), { status: 200, headers: { "content-type": "application/json" } }),
  );
  const client = new Client({ url: "http://exchange.test/graphql", exchanges: [fetchExchange], fetch: send as typeof fetch });
  render(
    <Provider value={client}>
      <MemoryRouter initialEntries={["/operator/disputes/Q29udHJhY3Q6MQ=="]}>
        <Routes>
          <Route path="/operator/disputes/:id" element={<DisputePage />} />
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
  return send;
}

afterEach(cleanup);

describe("DisputePage", () => {
  it("tells the contract's story with the contract room's timeline, its log open: who did what, when and why", async () => {
    const send = showing();
    const section = (await screen.findByRole("heading", { level: 2, name: "Ход контракта" })).closest("section")!;
    // urql sends a short query by GET, in the URL.
    const asked = new URL(String((send.mock.calls[0] as unknown as [string])[0])).searchParams.get("query");
    expect(asked).toContain("fragment ContractTimeline on Contract");

    // The lifecycle, drawn as in the contract room, not a list of its own.
    expect(section.querySelector("ol.lifecycle")).not.toBeNull();
    expect(document.querySelector("ol.timeline")).toBeNull();
    const current = within(section).getAllByTestId("timeline-step").find((step) => step.getAttribute("aria-current"));
    expect(current?.textContent).toContain("Спор");

    const log = within(section).getByRole("group") as HTMLDetailsElement;
    expect(log.open).toBe(true);
    const entries = within(log).getAllByRole("listitem");
    expect(entries.map((entry) => entry.querySelector("strong")?.textContent)).toEqual([
      "Открыт спор",
      "Партия отгружена",
      "Предложение выбрано, контракт заключён",
    ]);
    expect(entries[0]!.textContent).toContain("Заказчик, Анна Петрова (ООО «Заказчик»)");
    expect(entries[0]!.textContent).toMatch(/03\.12\.2026/);
    expect(entries[0]!.querySelector(".history-note")?.textContent).toBe("Причина: 20 % деталей вне допуска");
    expect(entries[1]!.textContent).toContain("Производитель, Иван Сидоров (ООО «Фреза»)");
    expect(entries[1]!.querySelector(".history-note")?.textContent).toBe("Трек-номер: СДЭК 1029384756");
  });
});

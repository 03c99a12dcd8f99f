// The overview's outbox panel in the operator's words, against urql's real client; the server's answer is given here.
import { cleanup, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Client, Provider, fetchExchange } from "urql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OverviewPage } from "./OverviewPage";

const overview = (outbox: unknown[], failing: unknown[]) => ({
  ordersByStatus: [],
  contractsByStatus: [],
  escrowHeld: [],
  feesEarned: [],
  outbox,
  failingOutboxMessages: failing,
  users: 3,
  organisations: 2,
  unverifiedOrganisations: 0,
  pendingPaymentInstructions: 0,
});

function showing(answer: unknown) {
  const send = vi.fn(
    async () =>
      new Response(JSON.stringify({ data: { exchangeOverview: answer } }), {
        status: 200,
        headers: { "content-type": "application/json" },
      }),
  );
  const client = new Client({ url: "http://exchange.test/graphql", exchanges: [fetchExchange], fetch: send as typeof fetch });
  render(
    <Provider value={client}>
      <MemoryRouter>
        <OverviewPage />
      </MemoryRouter>
    </Provider>,
  );
}

afterEach(cleanup);

describe("the outbox panel", () => {
  it("names each feed, says what waits and what fails, and what the operator should do", async () => {
    const minutesAgo = new Date(Date.now() - 12 * 60_000).toISOString();
    showing(
      overview(
        [
          { topic: "order", pending: 0, failing: 0, oldestPendingAt: null, lastRelayedAt: minutesAgo },
          { topic: "contract_documents", pending: 2, failing: 1, oldestPendingAt: minutesAgo, lastRelayedAt: null },
        ],
        [
          {
            topic: "contract_documents",
            key: "7d1c0f6e-0000-4000-8000-000000000001",
            attempts: 6,
            lastError: "StorageUnavailable: connection refused",
            nextAttemptAt: "2026-12-06T05:00:00Z",
          },
        ],
      ),
    );
    const backlog = await screen.findByRole("table", { name: "Фоновая доставка: поиск, письма, документы" });
    expect(within(backlog).getAllByRole("columnheader").map((cell) => cell.textContent)).toEqual([
      "Куда доставляется",
      "Ждут доставки",
      "Из них с ошибками",
      "Самая давняя в очереди",
      "Последняя успешная доставка",
    ]);
    const documents = within(backlog).getByRole("row", { name: /Документы контрактов/ });
    expect(within(documents).getAllByRole("cell").map((cell) => cell.textContent)).toEqual([
      "2",
      "1",
      "12 минут назад",
      "ещё не было",
    ]);
    const search = within(backlog).getByRole("row", { name: /Поиск заказов/ });
    expect(within(search).getAllByRole("cell")[2].textContent).toBe("—");
    expect(screen.getByText(/повторяется сама/).textContent).toContain("передайте технической поддержке");

    const failures = screen.getByRole("table", { name: "Не удаётся доставить" });
    const row = within(failures).getAllByRole("row")[1];
    expect(row.textContent).toContain("Документы контрактов");
    expect(row.textContent).toContain("StorageUnavailable: connection refused");
    expect(within(row).getAllByRole("cell")[2].textContent).toBe("6");
    expect(within(row).getAllByRole("cell")[3].textContent).toMatch(/^\d\d\.12\.2026, \d\d:\d\d$/);
  });

  it("says everything is delivered when nothing was ever queued, and shows no failures table", async () => {
    showing(overview([], []));
    expect(await screen.findByText(/Очередь пуста: всё доставлено/)).toBeTruthy();
    expect(screen.queryByRole("table", { name: "Не удаётся доставить" })).toBeNull();
  });
});

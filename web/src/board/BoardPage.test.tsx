import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { fromValue } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BoardPage } from "./BoardPage";

const answer = (data: unknown) => ({ data, operation: {} as never, stale: false, hasNext: false });

function renderBoard(url: string) {
  const executeQuery = vi.fn((_operation: { variables: unknown }) =>
    fromValue(answer({ orders: { pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } })),
  );
  render(
    <MemoryRouter initialEntries={[url]}>
      <Provider value={{ executeQuery } as unknown as Client}>
        <BoardPage />
      </Provider>
    </MemoryRouter>,
  );
  return executeQuery;
}

afterEach(cleanup);

describe("BoardPage's empty list", () => {
  it("says there are no open orders, not to remove filters nobody set", async () => {
    renderBoard("/orders");
    expect(await screen.findByText(/^Открытых заказов сейчас нет/)).toBeTruthy();
    expect(screen.queryByText(/убрать часть фильтров/)).toBeNull();
  });

  it("suggests removing filters once some are set", async () => {
    renderBoard("/orders?region=RU-MOW");
    expect(await screen.findByText("Заказов не нашлось. Попробуйте убрать часть фильтров.")).toBeTruthy();
  });
});

describe("BoardPage opened from a saved search", () => {
  it("searches by the link's materials (only the search filters by them) and shows them as removable", async () => {
    const executeQuery = renderBoard("/orders?process=CNC_MILLING&material=%D0%9416%D0%A2");
    expect(await screen.findByRole("button", { name: "Убрать материал Д16Т" })).toBeTruthy();
    const variables = executeQuery.mock.calls.map((call) => call[0].variables);
    expect(variables).toContainEqual(
      expect.objectContaining({
        query: "",
        filter: { processes: ["CNC_MILLING"], regions: null, certifications: null, materials: ["Д16Т"] },
      }),
    );
  });
});

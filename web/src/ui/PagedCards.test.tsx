// The shared paged list against urql's real client: each page its own request, LoadMore asks for the next one.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { Client, Provider, fetchExchange } from "urql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { graphql } from "../graphql";
import { PagedCards } from "./PagedCards";

const Disputed = graphql(`
  query PagedCardsTest($first: Int!, $after: String) {
    disputedContracts(first: $first, after: $after) {
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type Answer = { ids: string[]; next: string | null } | null;

function serving(pages: Record<string, Answer>) {
  const asked: (string | null)[] = [];
  const send = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    // urql sends a short query as a GET with its variables in the URL, a long one as a POST body.
    const sent = init?.body ? JSON.parse(String(init.body)).variables : JSON.parse(new URL(String(input)).searchParams.get("variables")!);
    const variables = sent as { first: number; after?: string | null };
    asked.push(variables.after ?? null);
    const page = pages[variables.after ?? "first"];
    const connection = page
      ? {
          edges: page.ids.map((id) => ({ node: { id } })),
          pageInfo: { hasNextPage: page.next !== null, endCursor: page.next },
        }
      : null;
    return new Response(JSON.stringify({ data: { disputedContracts: connection } }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  });
  const client = new Client({ url: "http://exchange.test/graphql", exchanges: [fetchExchange], fetch: send as typeof fetch });
  render(
    <Provider value={client}>
      <PagedCards
        query={Disputed}
        connection={(data) => data.disputedContracts}
        label="Споры"
        empty="Споров нет."
        card={(node) => <article>карточка {node.id}</article>}
        pageSize={2}
      />
    </Provider>,
  );
  return asked;
}

afterEach(cleanup);

describe("PagedCards", () => {
  it("shows the first page, then the next one under it when asked, naming only the first list", async () => {
    const asked = serving({ first: { ids: ["A", "B"], next: "c2" }, c2: { ids: ["C"], next: null } });
    expect(await screen.findByText("карточка B")).toBeTruthy();
    expect(screen.getByRole("list", { name: "Споры" }).children).toHaveLength(2);
    fireEvent.click(screen.getByRole("button", { name: "Показать ещё" }));
    expect(await screen.findByText("карточка C")).toBeTruthy();
    expect(screen.getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "карточка A",
      "карточка B",
      "карточка C",
    ]);
    expect(screen.getAllByRole("list")).toHaveLength(2);
    expect(screen.getByRole("list", { name: "Споры" }).children).toHaveLength(2);
    expect(screen.queryByRole("button", { name: "Показать ещё" })).toBeNull();
    expect(asked).toEqual([null, "c2"]);
  });

  it("says so when the first page is empty", async () => {
    serving({ first: { ids: [], next: null } });
    expect(await screen.findByText("Споров нет.")).toBeTruthy();
    expect(screen.queryByRole("list")).toBeNull();
  });

  it("shows the error state when the API answers no connection", async () => {
    serving({ first: null });
    expect((await screen.findByRole("alert")).textContent).toContain("Не удалось загрузить данные.");
  });
});

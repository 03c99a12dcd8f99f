// The operator's legal details to check reach every organisation waiting, page by page, against urql's real client.
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Client, Provider, fetchExchange } from "urql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LegalDetailsToCheck } from "./LegalDetailsToCheck";

function details(n: number) {
  return {
    inn: `77000000${String(n).padStart(2, "0")}`,
    kpp: "770001001",
    ogrn: "1027700132195",
    entityKind: "LEGAL_ENTITY",
    legalAddress: "Москва, ул. Тверская, 1",
    signatoryName: "Иванов И. И.",
    signatoryPosition: "Генеральный директор",
    signatoryBasis: "CHARTER",
    bankName: "АО «ТБанк»",
    bik: "044525974",
    settlementAccount: "40702810000000000001",
    correspondentAccount: "30101810145250000974",
    postalAddress: null,
    powerOfAttorneyNumber: null,
    powerOfAttorneyDate: null,
    checkedAt: null,
    updatedAt: "2026-03-25T09:30:00Z",
    organisation: { __typename: "Organisation", id: `org-${n}`, name: `Завод ${n}` },
    __typename: "LegalDetails",
  };
}

function serving() {
  const asked: (string | null)[] = [];
  const checked: string[] = [];
  const send = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = init?.body
      ? JSON.parse(String(init.body))
      : { variables: JSON.parse(new URL(String(input)).searchParams.get("variables")!), query: "" };
    const answer = (data: unknown) =>
      new Response(JSON.stringify({ data }), { status: 200, headers: { "content-type": "application/json" } });
    if (String(body.query).includes("checkLegalDetails")) {
      checked.push(body.variables.id);
      return answer({
        checkLegalDetails: {
          __typename: "LegalDetailsSuccess",
          legalDetails: { __typename: "LegalDetails", checkedAt: "2026-03-26T10:00:00Z" },
        },
      });
    }
    const after: string | null = body.variables.after ?? null;
    asked.push(after);
    // 25 organisations waiting: a first page of 20, then 5 more.
    const numbers = after === null ? [...Array(20).keys()].map((i) => i + 1) : [21, 22, 23, 24, 25];
    return answer({
      legalDetailsToCheck: {
        __typename: "LegalDetailsConnection",
        edges: numbers.map((n) => ({ __typename: "LegalDetailsEdge", node: details(n) })),
        pageInfo: { __typename: "PageInfo", hasNextPage: after === null, endCursor: after === null ? "c20" : "c25" },
      },
    });
  });
  const client = new Client({ url: "http://exchange.test/graphql", exchanges: [fetchExchange], fetch: send as typeof fetch });
  const onChanged = vi.fn();
  render(
    <MemoryRouter>
      <Provider value={client}>
        <LegalDetailsToCheck onChanged={onChanged} />
      </Provider>
    </MemoryRouter>,
  );
  return { asked, checked, onChanged };
}

afterEach(cleanup);

describe("LegalDetailsToCheck", () => {
  it("reaches every organisation waiting, past the first page", async () => {
    const { asked } = serving();
    expect(await screen.findByText("Завод 20")).toBeTruthy();
    expect(screen.queryByText("Завод 21")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Показать ещё" }));
    expect(await screen.findByText("Завод 25")).toBeTruthy();
    expect(screen.getAllByRole("button", { name: /^Реквизиты .* проверены$/ })).toHaveLength(25);
    expect(screen.queryByRole("button", { name: "Показать ещё" })).toBeNull();
    expect(asked).toEqual([null, "c20"]);
  });

  it("shows every detail the operator compares with the registers, as the company page does", async () => {
    serving();
    const card = (await screen.findByText("Завод 3")).closest("article")!;
    const text = card.textContent ?? "";
    expect(text).toContain("ИНН / КПП7700000003 / КПП 770001001");
    expect(text).toContain("ОГРН1027700132195");
    expect(text).toContain("Корреспондентский счёт30101810145250000974");
    expect(text).toContain("Почтовый адрессовпадает с юридическим");
  });

  it("marks a card checked where it stands, with the time the API gives", async () => {
    const { checked, onChanged } = serving();
    fireEvent.click(await screen.findByRole("button", { name: "Реквизиты Завод 3 проверены" }));
    const card = screen.getByRole("article", { name: /Завод 3/ });
    expect((await within(card).findByRole("status")).textContent).toMatch(/^Проверено 26\.03\.2026/);
    expect(within(card).queryByRole("button")).toBeNull();
    expect(checked).toEqual(["org-3"]);
    expect(onChanged).toHaveBeenCalledTimes(1);
    // The others still wait.
    expect(screen.getAllByRole("button", { name: /^Реквизиты .* проверены$/ })).toHaveLength(19);
  });
});

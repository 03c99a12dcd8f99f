// The company page's legal details against urql's real client and fetch exchange; the server's answers are given here.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Client, Provider, fetchExchange } from "urql";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FragmentOf } from "../graphql";
import { LegalDetailsSection, type LegalDetailsFragment } from "./LegalDetailsSection";

const stated = {
  inn: "7707083893",
  kpp: "773601001",
  ogrn: "1027700132195",
  entityKind: "LEGAL_ENTITY",
  legalAddress: "117312, г. Москва, ул. Вавилова, д. 19",
  postalAddress: null,
  signatoryName: "Петрова Мария Олеговна",
  signatoryPosition: "Финансовый директор",
  signatoryBasis: "POWER_OF_ATTORNEY",
  powerOfAttorneyNumber: "17",
  powerOfAttorneyDate: "2026-03-01",
  bankName: "АО «ТБанк»",
  bik: "044525974",
  settlementAccount: "40702810100000054321",
  correspondentAccount: "30101810145250000974",
  checkedAt: null,
};

const organisation = (legalDetails: unknown) =>
  ({ id: "O1", legalDetails }) as unknown as FragmentOf<typeof LegalDetailsFragment>;

function clientAnswering(payload: unknown) {
  const bodies: string[] = [];
  const send = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(String(init?.body));
    return new Response(JSON.stringify({ data: { setLegalDetails: payload } }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  });
  const client = new Client({ url: "http://exchange.test/graphql", exchanges: [fetchExchange], fetch: send as typeof fetch });
  return { client, bodies };
}

afterEach(cleanup);

describe("LegalDetailsSection", () => {
  it("shows the stated details, the operator's check and the signatory's authority", () => {
    const { client } = clientAnswering(null);
    render(
      <Provider value={client}>
        <LegalDetailsSection data={organisation(stated)} isAdmin={false} />
      </Provider>,
    );
    const section = screen.getByTestId("legal-details");
    expect(section.textContent).toContain("7707083893 / КПП 773601001");
    expect(section.textContent).toContain("совпадает с юридическим");
    expect(section.textContent).toContain("Финансовый директор Петрова Мария Олеговна · Доверенность № 17 от");
    expect(screen.getByTestId("legal-details-check").textContent).toBe("Ждут проверки оператором");
    expect(screen.queryByRole("button", { name: "Изменить реквизиты" })).toBeNull(); // not an admin
  });

  it("sends what the admin typed and shows the API's refusal at its field, keeping the form", async () => {
    const { client, bodies } = clientAnswering({
      __typename: "ValidationError",
      message: "the account does not match the bank's БИК (its control key is wrong)",
      code: "INVALID",
      field: "settlementAccount",
    });
    render(
      <Provider value={client}>
        <LegalDetailsSection data={organisation(null)} isAdmin />
      </Provider>,
    );
    expect(screen.getByTestId("legal-details-missing")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Указать реквизиты" }));
    const form = screen.getByRole("form", { name: "Реквизиты компании" });
    const type = (label: string, value: string) =>
      fireEvent.change(within(form).getByLabelText(label, { exact: false }), { target: { value } });
    type("ИНН", "7707083893");
    type("КПП", "773601001");
    type("ОГРН", "1027700132195");
    type("Юридический адрес", "117312, г. Москва, ул. Вавилова, д. 19");
    type("ФИО подписанта", "Петрова Мария Олеговна");
    type("Должность", "Генеральный директор");
    type("Наименование банка", "АО «ТБанк»");
    type("БИК", "044525974");
    type("Расчётный счёт", "40702810100000054322");
    type("Корреспондентский счёт", "30101810145250000974");
    fireEvent.click(within(form).getByRole("button", { name: "Сохранить реквизиты" }));

    await waitFor(() => expect(within(form).getByRole("alert").textContent).toContain("Расчётный счёт не сходится с БИК"));
    expect(within(form).getByLabelText("Расчётный счёт", { exact: false }).getAttribute("aria-invalid")).toBe("true");
    expect(JSON.parse(bodies[0]).variables).toEqual({
      id: "O1",
      input: {
        inn: "7707083893",
        kpp: "773601001",
        ogrn: "1027700132195",
        legalAddress: "117312, г. Москва, ул. Вавилова, д. 19",
        postalAddress: null,
        signatoryName: "Петрова Мария Олеговна",
        signatoryPosition: "Генеральный директор",
        signatoryBasis: "CHARTER",
        powerOfAttorneyNumber: null,
        powerOfAttorneyDate: null,
        bankName: "АО «ТБанк»",
        bik: "044525974",
        settlementAccount: "40702810100000054322",
        correspondentAccount: "30101810145250000974",
      },
    });
    expect(within(form).getByLabelText("Расчётный счёт", { exact: false }).getAttribute("value")).toBe(
      "40702810100000054322",
    );
  });
});

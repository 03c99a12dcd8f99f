// The documents panel against urql's real client and fetch exchange; the server's answers are given here.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Client, Provider, fetchExchange } from "urql";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FragmentOf } from "../graphql";
import { Documents, type ContractDocumentsFragment } from "./Documents";

const document = (id: string, kind: string, language: string, signatures: unknown[] = [], addressee: unknown = null) => ({
  id,
  kind,
  language,
  number: "CPX-ABCDE-23456",
  issuedOn: "2026-12-05T09:00:00Z",
  addressee,
  file: { name: `${kind.toLowerCase()}-${language.toLowerCase()}.pdf`, size: 54_000, sha256: "ab".repeat(32) },
  signatures,
  accessLog: [] as unknown[],
});

const contract = (viewerParty: string, documents: unknown[], awaiting: unknown[] = []) =>
  ({ id: "C1", viewerParty, documents, documentsAwaitLegalDetailsOf: awaiting }) as unknown as FragmentOf<
    typeof ContractDocumentsFragment
  >;

function clientAnswering(field: string, payload: unknown) {
  const bodies: unknown[] = [];
  const send = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(init?.body);
    return new Response(JSON.stringify({ data: { [field]: payload } }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  });
  const client = new Client({ url: "http://exchange.test/graphql", exchanges: [fetchExchange], fetch: send as typeof fetch });
  return { client, send, bodies };
}

afterEach(cleanup);

describe("Documents", () => {
  it("lists each document with its download, hash and signatures, and says signatures are not verified", () => {
    const signed = { id: "S1", createdAt: "2026-12-05T10:00:00Z", attachedBy: "Анна Петрова", organisation: { id: "B", name: "ООО «Ромашка»" }, file: { name: "договор.sig" } };
    const { client } = clientAnswering("x", null);
    render(
      <Provider value={client}>
        <Documents data={contract("MANUFACTURER", [document("D1", "CONTRACT", "RU", [signed]), document("D2", "FEE_INVOICE", "RU", [], { id: "M", name: "АО «Станкомаш»" })])} onDone={vi.fn()} />
      </Provider>,
    );
    const cards = screen.getAllByTestId("contract-document");
    expect(cards).toHaveLength(2);
    expect(cards[0].textContent).toContain("Договор № CPX-ABCDE-23456");
    expect(within(cards[0]).getByRole("button", { name: "Скачать contract-ru.pdf" })).toBeTruthy();
    expect(within(cards[0]).getByRole("button", { name: "договор.sig" })).toBeTruthy();
    expect(within(cards[0]).getByTestId("document-signature").textContent).toContain("Подпись ООО «Ромашка» (Анна Петрова");
    expect(cards[1].textContent).toContain("адресован: АО «Станкомаш»");
    expect(screen.getByText(/подпись не проверяется платформой/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Запросить копии на английском" })).toBeTruthy();
  });

  it("offers no signature form to an operator, who reads but signs for no party", () => {
    const { client } = clientAnswering("x", null);
    render(
      <Provider value={client}>
        <Documents data={contract("OPERATOR", [document("D1", "CONTRACT", "RU")])} onDone={vi.fn()} />
      </Provider>,
    );
    expect(screen.queryByRole("form", { name: "Приложить электронную подпись" })).toBeNull();
  });

  it("shows the API's refusal of a signature file at the file field and reports nothing done", async () => {
    const { client, send } = clientAnswering("attachDocumentSignature", {
      __typename: "FileRejectedError",
      code: "UNSUPPORTED_FILE",
      message: "this is not a CMS signature (PKCS#7, DER or PEM)",
      field: "file",
    });
    const onDone = vi.fn();
    render(
      <Provider value={client}>
        <Documents data={contract("BUYER", [document("D1", "CONTRACT", "RU")])} onDone={onDone} />
      </Provider>,
    );
    const form = screen.getByRole("form", { name: "Приложить электронную подпись" });
    fireEvent.click(within(form).getByRole("button", { name: "Приложить подпись" }));
    await waitFor(() => expect(within(form).getByRole("alert").textContent).toContain("Выберите файл подписи"));
    expect(send).not.toHaveBeenCalled();

    const file = new File(["%PDF-1.7"], "drawing.sig");
    fireEvent.change(within(form).getByLabelText("Файл открепленной подписи"), { target: { files: [file] } });
    fireEvent.click(within(form).getByRole("button", { name: "Приложить подпись" }));
    await waitFor(() => expect(within(form).getByRole("alert").textContent).toContain("Этот тип файла не принимается."));
    expect(within(form).getByLabelText("Файл открепленной подписи").getAttribute("aria-invalid")).toBe("true");
    expect(onDone).not.toHaveBeenCalled();
  });

  it("downloads through the API (which records it) and shows the document's log", async () => {
    const { client, bodies } = clientAnswering("requestContractDocumentDownload", {
      __typename: "ContractDocumentDownloadSuccess",
      url: "/files/download/token",
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    const onDone = vi.fn();
    const logged = {
      ...document("D1", "CONTRACT", "RU"),
      accessLog: [
        { action: "SIGNATURE_ATTACHED", at: "2026-12-05T11:00:00Z", person: "Анна Петрова", organisation: { id: "B", name: "ООО «Ромашка»" } },
        { action: "DOWNLOAD", at: "2026-12-05T10:00:00Z", person: "Олег Операторов", organisation: null },
      ],
    };
    render(
      <Provider value={client}>
        <Documents data={contract("BUYER", [logged])} onDone={onDone} />
      </Provider>,
    );
    const log = screen.getByTestId("document-log");
    expect(log.textContent).toContain("Журнал: 2 записи");
    expect(log.textContent).toContain("Анна Петрова (ООО «Ромашка») приложил(а) подпись");
    expect(log.textContent).toContain("Олег Операторов (оператор биржи) скачал(а)");

    fireEvent.click(screen.getByRole("button", { name: "Скачать contract-ru.pdf" }));

    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(click).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(bodies[0])).variables).toEqual({ documentId: "D1", signatureId: null });
    click.mockRestore();
  });

  it("says whose legal details the documents wait for", () => {
    const { client } = clientAnswering("x", null);
    render(
      <Provider value={client}>
        <Documents data={contract("BUYER", [], [{ id: "M", name: "АО «Станкомаш»" }])} onDone={vi.fn()} />
      </Provider>,
    );
    expect(screen.getByTestId("documents-await-details").textContent).toContain("Ждём реквизиты: АО «Станкомаш»");
    expect(screen.queryByText(/Документы появятся через минуту/)).toBeNull();
  });
});

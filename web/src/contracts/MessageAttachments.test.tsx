// A message's files as received: name, format, size; a download asks the API for the file's short-lived URL only
// when clicked (by the message and the file's place in it) and follows it; a refusal is shown beside the file; a
// file only described has no download.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Client, Provider, fetchExchange } from "urql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MessageAttachments, type AttachmentView } from "./MessageAttachments";

const spaced = (text: string | null | undefined) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");

function clientAnswering(payload: unknown) {
  const send = vi.fn(async () =>
    new Response(JSON.stringify({ data: { requestMessageAttachmentDownload: payload } }), {
      status: 200,
      headers: { "content-type": "application/json" },
    }),
  );
  return { client: new Client({ url: "http://exchange.test/graphql", exchanges: [fetchExchange], fetch: send as typeof fetch }), send };
}

const files: AttachmentView[] = [
  { name: "FAI-протокол.pdf", sizeBytes: 254_000, contentType: "application/pdf", checksum: "sha256:a", stored: true },
  { name: "first-article.jpg", sizeBytes: 3_500_000, contentType: "image/jpeg", checksum: "sha256:b", stored: true },
  { name: "старый-чертёж.dwg", sizeBytes: 900, contentType: "application/acad", checksum: "sha256:c", stored: false },
];

afterEach(cleanup);

describe("MessageAttachments", () => {
  it("names each file with its format and size, and offers a download only for stored ones", () => {
    const { client, send } = clientAnswering(null);
    render(
      <Provider value={client}>
        <MessageAttachments messageId="M1" attachments={files} />
      </Provider>,
    );
    const items = within(screen.getByRole("list", { name: "Вложения" })).getAllByRole("listitem");
    expect(items.map((item) => spaced(item.textContent))).toEqual([
      "FAI-протокол.pdf (PDF, 248 КБ) Скачать",
      "first-article.jpg (JPEG, 3,3 МБ) Скачать",
      "старый-чертёж.dwg (DWG, 900 Б) — только описание: самого файла на бирже нет",
    ]);
    expect(within(items[2]).queryByRole("button")).toBeNull();
    expect(send).not.toHaveBeenCalled();
  });

  it("asks for the URL of the file clicked, by its message and place, and follows it as a download", async () => {
    const { client, send } = clientAnswering({
      __typename: "AttachmentDownloadSuccess",
      url: "/files/download/abc",
      name: "first-article.jpg",
    });
    const clicked: { href: string; download: string }[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.getAttribute("href") ?? "", download: this.download });
    });
    render(
      <Provider value={client}>
        <MessageAttachments messageId="M1" attachments={files} />
      </Provider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Скачать first-article.jpg" }));
    await waitFor(() => expect(clicked).toEqual([{ href: "/files/download/abc", download: "first-article.jpg" }]));
    const body = JSON.parse(String((send.mock.calls[0] as unknown as [string, RequestInit])[1].body));
    expect(body.variables).toEqual({ messageId: "M1", index: 1 });
    click.mockRestore();
  });

  it("shows a refused download beside the file", async () => {
    const { client } = clientAnswering({ __typename: "NotFoundError", code: "NOT_FOUND", message: "not found", field: "messageId" });
    render(
      <Provider value={client}>
        <MessageAttachments messageId="M1" attachments={files.slice(0, 1)} />
      </Provider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Скачать FAI-протокол.pdf" }));
    const alert = await screen.findByRole("alert");
    expect(alert.closest("li")?.textContent).toContain("FAI-протокол.pdf");
    expect(alert.textContent?.trim()).not.toBe("");
  });
});

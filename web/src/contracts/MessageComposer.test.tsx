// The message composer against urql's real client and fetch exchange. The limits query is answered through the
// client's fetch; the message itself goes through the composer's XMLHttpRequest (for its upload progress), which a
// stand-in answers here: it records the GraphQL multipart body, reports progress when told, and replies as the API.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Client, Provider, fetchExchange } from "urql";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MessageComposer } from "./MessageComposer";

const MIB = 1024 * 1024;
const FORMATS = ["pdf", "step", "iges", "stl", "dxf", "png", "jpeg"];
const EXTENSIONS = [".pdf", ".step", ".stp", ".iges", ".igs", ".stl", ".dxf", ".png", ".jpg", ".jpeg"];

class FakeXhr {
  static sent: FakeXhr[] = [];
  static answer: unknown = null;
  static hold = false;
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  statusText = "";
  responseText = "";
  responseType = "";
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getAllResponseHeaders() {
    return "content-type: application/json\r\n";
  }
  send(body: FormData) {
    this.body = body;
    FakeXhr.sent.push(this);
    if (!FakeXhr.hold) this.respond();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  respond() {
    this.status = 200;
    this.statusText = "OK";
    this.responseText = JSON.stringify({ data: { postContractMessage: FakeXhr.answer } });
    this.onload?.();
  }
  abort() {
    this.onabort?.();
  }
}

function composer(limits: Partial<{ maxFiles: number; maxFileBytes: number; maxTotalBytes: number }> = {}) {
  const json = (data: unknown) =>
    new Response(JSON.stringify({ data }), { status: 200, headers: { "content-type": "application/json" } });
  const queries = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) =>
    String(init?.body).includes("mutation PostContractMessage")
      ? json({ postContractMessage: FakeXhr.answer })
      : json({
          messageAttachmentLimits: {
            __typename: "MessageAttachmentLimits",
            maxFiles: 10,
            maxFileBytes: 32 * MIB - 128 * 1024,
            maxTotalBytes: 32 * MIB - 128 * 1024,
            formats: FORMATS,
            extensions: EXTENSIONS,
            ...limits,
          },
        }),
  );
  const client = new Client({ url: "http://exchange.test/graphql", exchanges: [fetchExchange], fetch: queries as typeof fetch });
  const onPosted = vi.fn();
  render(
    <Provider value={client}>
      <MessageComposer contractId="C1" onPosted={onPosted} />
    </Provider>,
  );
  return { onPosted, queries };
}

const pdf = (name = "чертёж-ред-B.pdf", bytes = 2048) => new File([new Uint8Array(bytes)], name, { type: "application/pdf" });
const spaced = (text: string | null | undefined) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");
const status = () => spaced(document.querySelector(".message-form [role=status]")?.textContent);
const chips = () => screen.queryAllByRole("listitem").filter((item) => item.classList.contains("file-chip"));
const operations = (request: FakeXhr) => JSON.parse(String(request.body?.get("operations")));

async function choose(...files: File[]) {
  const input = await screen.findByLabelText("Файлы к сообщению");
  fireEvent.change(input, { target: { files } });
}

beforeEach(() => {
  FakeXhr.sent = [];
  FakeXhr.answer = null;
  FakeXhr.hold = false;
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("MessageComposer", () => {
  it("states the API's limits before anything is chosen, and labels the file input", async () => {
    composer();
    const input = await screen.findByLabelText("Файлы к сообщению");
    expect(input.getAttribute("accept")).toBe(EXTENSIONS.join(","));
    expect(input.hasAttribute("multiple")).toBe(true);
    const hint = spaced(document.getElementById(input.getAttribute("aria-describedby") ?? "")?.textContent);
    expect(hint).toBe(
      "Чертёж, модель, фото, протокол: до 10 файлов, каждый до 32 МБ, вместе до 32 МБ. Форматы: PDF, STEP, IGES, STL, DXF, PNG, JPEG (определяются по содержимому). Архивы не принимаются.",
    );
  });

  it("shows each chosen or dropped file as a chip with its size, and removes one, saying so", async () => {
    composer();
    await choose(pdf("drawing.pdf", 1536), pdf("photo.jpg", 3 * MIB));
    expect(chips().map((chip) => spaced(chip.textContent))).toEqual(["drawing.pdf 1,5 КБ Убрать", "photo.jpg 3 МБ Убрать"]);
    expect(status()).toBe("Добавлено: drawing.pdf, photo.jpg.");

    fireEvent.drop(screen.getByTestId("message-composer"), { dataTransfer: { files: [pdf("report.pdf", 10)], types: ["Files"] } });
    expect(chips()).toHaveLength(3);
    expect(status()).toBe("Добавлено: report.pdf.");

    fireEvent.click(screen.getByRole("button", { name: "Убрать файл photo.jpg" }));
    expect(chips().map((chip) => within(chip).getByText(/\./, { selector: ".file-chip-name" }).textContent)).toEqual([
      "drawing.pdf",
      "report.pdf",
    ]);
    expect(status()).toBe("Убран файл photo.jpg.");
    expect(document.activeElement).toBe(screen.getByLabelText("Файлы к сообщению"));
  });

  it("takes no more files than one message carries, and names the ones left out", async () => {
    composer({ maxFiles: 2 });
    await choose(pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf"));
    expect(chips()).toHaveLength(2);
    expect(status()).toBe("Добавлено: a.pdf, b.pdf. С одним сообщением уходит не больше 2 файлов: не добавлены c.pdf.");
  });

  it("does not upload a file larger than the API takes: says so at its chip, in the API's words", async () => {
    composer({ maxFileBytes: MIB });
    await choose(pdf("scan.pdf", 2 * MIB));
    expect(spaced(chips()[0].querySelector(".field-message")?.textContent)).toBe(
      "Файл больше 1 МБ — это предел для одного файла.",
    );
    expect((screen.getByRole("button", { name: "Отправить" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(screen.getByTestId("message-composer"));
    expect(FakeXhr.sent).toHaveLength(0);
  });

  it("sends files only, in one multipart request with progress, and clears the form once posted", async () => {
    FakeXhr.hold = true;
    FakeXhr.answer = { __typename: "ContractMessageSuccess", contractMessage: { id: "M1", attachments: [{ name: "fai.pdf" }] } };
    const { onPosted } = composer();
    await choose(pdf("fai.pdf", 4 * MIB));
    fireEvent.click(screen.getByRole("button", { name: "Отправить" }));

    await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
    const request = FakeXhr.sent[0];
    expect(operations(request).variables).toEqual({ contractId: "C1", body: "", files: [null] });
    expect(JSON.parse(String(request.body?.get("map")))).toEqual({ 0: ["variables.files.0"] });
    expect((request.body?.get("0") as File).name).toBe("fai.pdf");
    act(() => request.progress(2 * MIB, 4 * MIB));
    expect(spaced(document.querySelector(".upload-progress")?.textContent)).toContain("Отправка: 2 МБ из 4 МБ (50 %)");
    expect((screen.getByRole("progressbar", { name: "Отправка файлов" }) as HTMLProgressElement).value).toBe(0.5);
    act(() => request.progress(4 * MIB, 4 * MIB));
    expect(spaced(document.querySelector(".upload-progress")?.textContent)).toContain("Файлы получены, сервер их проверяет");

    act(() => request.respond());
    await waitFor(() => expect(onPosted).toHaveBeenCalledTimes(1));
    expect(chips()).toHaveLength(0);
    expect(status()).toBe("Сообщение отправлено.");
  });

  it("keeps the text and the files when sending is cancelled", async () => {
    FakeXhr.hold = true;
    const { onPosted } = composer();
    fireEvent.change(screen.getByLabelText("Сообщение для другой стороны"), { target: { value: "Новая редакция" } });
    await choose(pdf("rev-c.pdf"));
    fireEvent.click(screen.getByRole("button", { name: "Отправить" }));
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
    fireEvent.click(screen.getByRole("button", { name: "Отменить отправку" }));
    await waitFor(() => expect(status()).toBe("Отправка отменена: текст и файлы остались в форме."));
    expect(onPosted).not.toHaveBeenCalled();
    expect((screen.getByLabelText("Сообщение для другой стороны") as HTMLTextAreaElement).value).toBe("Новая редакция");
    expect(chips()).toHaveLength(1);
  });

  const refusals: [string, Record<string, unknown>, string][] = [
    [
      "ARCHIVE",
      { code: "UNSUPPORTED_FILE", archiveKind: "ZIP", allowedFormats: FORMATS },
      "Архивы (ZIP) не принимаются: распакуйте архив и загрузите файлы по отдельности. Допустимые форматы: PDF, STEP, IGES, STL, DXF, PNG, JPEG.",
    ],
    [
      "TRUNCATED",
      { code: "UNSUPPORTED_FILE", detectedFormat: "PDF", allowedFormats: FORMATS },
      "Файл PDF обрезан (нет маркера конца %%EOF) — сохраните его заново и загрузите ещё раз.",
    ],
    [
      "EMPTY",
      { code: "UNSUPPORTED_FILE", allowedFormats: FORMATS },
      "Файл пуст: в нём нет ни одного байта. Проверьте, что выбран нужный файл и он сохранён целиком.",
    ],
    [
      "TOO_LARGE",
      { code: "FILE_TOO_LARGE", limits: { unit: "BYTES", min: null, max: String(200 * MIB), currency: null } },
      "Файл больше 200 МБ — это предел для одного файла.",
    ],
  ];

  it.each(refusals)("words a %s refusal at the file it concerns, keeping the text and every file", async (reason, fields, words) => {
    FakeXhr.answer = { __typename: "FileRejectedError", message: "English", field: "files.1", reason, ...fields };
    const { onPosted } = composer();
    fireEvent.change(screen.getByLabelText("Сообщение для другой стороны"), { target: { value: "Чертёж и модель" } });
    await choose(pdf("drawing.pdf"), pdf("model.stl"));
    fireEvent.click(screen.getByRole("button", { name: "Отправить" }));

    await waitFor(() => expect(status()).toBe("Сообщение не отправлено: файл «model.stl» не принят."));
    const [first, second] = chips();
    expect(first.querySelector(".field-message")).toBeNull();
    expect(spaced(second.querySelector(".field-message")?.textContent)).toBe(words);
    expect(second.id).toBe("message-files.1");
    expect(spaced(screen.getByRole("alert").querySelector("a")?.textContent)).toBe(words);
    expect(screen.getByRole("alert").querySelector("a")?.getAttribute("href")).toBe("#message-files.1");
    expect((screen.getByLabelText("Сообщение для другой стороны") as HTMLTextAreaElement).value).toBe("Чертёж и модель");
    expect(onPosted).not.toHaveBeenCalled();
  });

  it("shows a refusal of the text at the text, and sends a message without files as plain GraphQL", async () => {
    FakeXhr.answer = { __typename: "ValidationError", code: "REQUIRED", message: "required", field: "body" };
    const { queries } = composer();
    await screen.findByLabelText("Файлы к сообщению");
    fireEvent.click(screen.getByRole("button", { name: "Отправить" }));
    await waitFor(() => expect(screen.getByLabelText("Сообщение для другой стороны").getAttribute("aria-invalid")).toBe("true"));
    expect(status()).toMatch(/^Сообщение не отправлено: /);
    expect(FakeXhr.sent).toHaveLength(0);
    const posted = queries.mock.calls.map(([, init]) => String(init?.body)).filter((body) => body.includes("mutation"));
    expect(posted.map((body) => JSON.parse(body).variables)).toEqual([{ contractId: "C1", body: "", files: null }]);
  });
});

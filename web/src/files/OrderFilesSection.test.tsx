// What the order's files section shows for each answer of the API's fileAccess (the client decides nothing).
import { cleanup, render, screen } from "@testing-library/react";
import { Provider, type Client } from "urql";
import { never } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OrderFilesSidePanels, OrderFilesSection } from "./OrderFilesSection";

const client = { executeMutation: vi.fn(() => never), executeQuery: vi.fn(() => never) } as unknown as Client;

const drawing = {
  id: "F1",
  kind: "DRAWING",
  name: "drawing.pdf",
  format: "PDF",
  size: 2048,
  sha256: "ab".repeat(32),
  revision: 2,
  note: "допуск Ø12",
  activeContent: true,
  uploadedAt: "2026-12-01T10:00:00Z",
  supersededAt: null,
  geometry: null,
  previousRevisions: [
    {
      id: "F0",
      kind: "DRAWING",
      name: "drawing.pdf",
      format: "PDF",
      size: 1024,
      sha256: "cd".repeat(32),
      revision: 1,
      note: "",
      activeContent: false,
      uploadedAt: "2026-11-30T10:00:00Z",
      supersededAt: "2026-12-01T10:00:00Z",
      geometry: null,
      previousRevisions: [],
    },
  ],
};

function order(overrides: Record<string, unknown>) {
  return {
    id: "O1",
    status: "OPEN",
    viewerIsBuyer: false,
    fileAccess: "GRANTED",
    files: [],
    nda: null,
    ndaAcceptances: null,
    fileDownloads: null,
    partEnvelope: null,
    ...overrides,
  } as never;
}

function renderSection(data: never, canEdit = false) {
  return render(
    <Provider value={client}>
      <OrderFilesSection data={data} canEdit={canEdit} onChanged={vi.fn()} />
      <OrderFilesSidePanels data={data} canEdit={canEdit} onChanged={vi.fn()} />
    </Provider>,
  );
}

afterEach(cleanup);

describe("OrderFilesSection", () => {
  it("says why the files are hidden, and offers nothing", () => {
    renderSection(order({ fileAccess: "HIDDEN" }));
    expect(screen.getByText("Файлы заказа видны только заказчику и производителям, которым открыт заказ.")).toBeTruthy();
    expect(screen.queryAllByRole("button")).toHaveLength(0);
    expect(screen.queryByRole("form")).toBeNull();
  });

  it("shows the NDA to accept by its version, and no files", () => {
    renderSection(order({ fileAccess: "NDA_REQUIRED", nda: { version: 4, text: "Не разглашать.", createdAt: "2026-12-01T10:00:00Z", viewerAccepted: false } }));
    expect(screen.getByText("Не разглашать.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Принимаю соглашение (редакция 4)" })).toBeTruthy();
    expect(screen.queryByText("drawing.pdf")).toBeNull();
  });

  it("lists the files with downloads for a manufacturer granted access, without the buyer's actions", () => {
    renderSection(order({ files: [drawing] }));
    expect(screen.getByText(/^PDF · 2 КБ · ред\. 2 · 01\.12\.2026/)).toBeTruthy();
    expect(screen.getByRole("note").textContent).toContain("PDF со встроенными сценариями");
    expect(screen.getByRole("button", { name: "Скачать: drawing.pdf" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Скачать: drawing.pdf (ред. 1)" })).toBeTruthy();
    expect(screen.getByText("История редакций (1)")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Новая редакция/ })).toBeNull();
    expect(screen.queryByRole("form")).toBeNull();
    expect(screen.queryByRole("heading", { name: "Журнал скачиваний" })).toBeNull();
  });

  it("gives the buyer of an editable order the upload form, revisions, the NDA, the part size and the log", () => {
    renderSection(
      order({
        viewerIsBuyer: true,
        files: [drawing],
        ndaAcceptances: [],
        fileDownloads: [{ issuedAt: "2026-12-02T10:00:00Z", servedAt: null, fileId: "F0", organisation: { id: "M1", name: "ООО «Фреза»" } }],
        partEnvelope: { xMm: 120, yMm: 80, zMm: 40.5, source: "MODEL", updatedAt: "2026-12-01T10:00:00Z" },
      }),
      true,
    );
    expect(screen.getByRole("form", { name: "Приложить файл" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Загрузить новую редакцию: drawing.pdf" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Требовать соглашение" })).toBeTruthy();
    expect(screen.getByTestId("part-envelope").textContent).toContain("120 × 80 × 40,5 мм");
    expect(screen.getByTestId("part-envelope").textContent).toContain("по 3D-модели");
    const log = screen.getByRole("table", { name: "Журнал скачиваний" });
    expect(log.textContent).toContain("ООО «Фреза»");
    expect(log.textContent).toContain("drawing.pdf (ред. 1)");
    expect(log.textContent).toContain("не скачан");
  });

  it("shows an operator (acceptances and log given by the API) the NDA's acceptances and the log, read-only", () => {
    renderSection(
      order({
        files: [drawing],
        nda: { version: 2, text: "Не разглашать.", createdAt: "2026-12-01T10:00:00Z", viewerAccepted: false },
        ndaAcceptances: [{ version: 1, acceptedAt: "2026-12-01T11:00:00Z", organisation: { id: "M1", name: "ООО «Фреза»" } }],
        fileDownloads: [],
      }),
      false,
    );
    expect(screen.getByRole("table", { name: "Кто принял" }).textContent).toContain("1 (прежняя)");
    expect(screen.getByText("Файлы ещё никто не скачивал.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Требовать соглашение|Сохранить новую редакцию/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Исправить габариты" })).toBeNull();
  });
});

// The upload form against urql's real client and fetch exchange; the server's answers are given here.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Client, Provider, fetchExchange } from "urql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UploadForm } from "./UploadForm";

function clientAnswering(payload: unknown) {
  const requests: FormData[] = [];
  const send = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(init?.body as FormData);
    return new Response(JSON.stringify({ data: { attachOrderFile: payload } }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  });
  const client = new Client({ url: "http://exchange.test/graphql", exchanges: [fetchExchange], fetch: send as typeof fetch });
  return { client, send, requests };
}

const zip = new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0])], "part.stl");

afterEach(cleanup);

describe("UploadForm", () => {
  it("asks for a file at the file field before sending anything", async () => {
    const { client, send } = clientAnswering(null);
    render(
      <Provider value={client}>
        <UploadForm orderId="O1" onUploaded={vi.fn()} />
      </Provider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Загрузить" }));
    await waitFor(() => expect(screen.getByLabelText("Файл").getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByRole("alert").textContent).toContain("Выберите файл");
    expect(send).not.toHaveBeenCalled();
  });

  it("takes a dropped file, and shows the API's refusal at the file field, keeping the kind and the note", async () => {
    const { client, requests } = clientAnswering({
      __typename: "FileRejectedError",
      code: "UNSUPPORTED_FILE",
      message: "archives (ZIP) are not accepted",
      field: "file",
    });
    const onUploaded = vi.fn();
    render(
      <Provider value={client}>
        <UploadForm orderId="O1" onUploaded={onUploaded} />
      </Provider>,
    );
    fireEvent.change(screen.getByLabelText("Что это за файл"), { target: { value: "MODEL" } });
    fireEvent.drop(screen.getByTestId("dropzone"), { dataTransfer: { files: [zip] } });
    expect(screen.getByText(/^Выбран: part\.stl \(6 Б\)$/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Комментарий/), { target: { value: "корпус" } });
    fireEvent.click(screen.getByRole("button", { name: "Загрузить" }));

    await waitFor(() => expect(screen.getByLabelText("Файл").getAttribute("aria-invalid")).toBe("true"));
    const fieldMessage = document.querySelector(".field-error .field-message");
    expect(fieldMessage?.textContent).toBe("Этот тип файла не принимается.");
    expect(onUploaded).not.toHaveBeenCalled();
    expect((screen.getByLabelText("Что это за файл") as HTMLSelectElement).value).toBe("MODEL");
    expect((screen.getByLabelText(/Комментарий/) as HTMLTextAreaElement).value).toBe("корпус");
    expect(requests).toHaveLength(1);
    const operation = JSON.parse(String(requests[0].get("operations")));
    expect(operation.variables.input).toMatchObject({ orderId: "O1", kind: "MODEL", note: "корпус", replacesFileId: null });
    expect((requests[0].get("0") as File).name).toBe("part.stl");
  });

  it("sends a new revision with the file it replaces, and clears the form once attached", async () => {
    const { client, requests } = clientAnswering({
      __typename: "OrderFileSuccess",
      file: { id: "F2", name: "drawing-b.pdf" },
    });
    const onUploaded = vi.fn();
    render(
      <Provider value={client}>
        <UploadForm orderId="O1" replaces={{ id: "F1", name: "drawing.pdf" }} onUploaded={onUploaded} />
      </Provider>,
    );
    expect(screen.getByRole("heading", { name: "Новая редакция файла «drawing.pdf»" })).toBeTruthy();
    expect(screen.queryByLabelText("Что это за файл")).toBeNull();
    const file = new File(["%PDF-1.7\n%%EOF\n"], "drawing-b.pdf");
    fireEvent.change(screen.getByLabelText("Файл"), { target: { files: [file] } });
    fireEvent.change(screen.getByLabelText(/Комментарий/), { target: { value: "допуск Ø12" } });
    fireEvent.click(screen.getByRole("button", { name: "Загрузить редакцию" }));

    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith("drawing-b.pdf"));
    const operation = JSON.parse(String(requests[0].get("operations")));
    expect(operation.variables.input).toMatchObject({ replacesFileId: "F1", note: "допуск Ø12" });
    expect((screen.getByLabelText(/Комментарий/) as HTMLTextAreaElement).value).toBe("");
    expect(screen.queryByText(/^Выбран:/)).toBeNull();
  });
});

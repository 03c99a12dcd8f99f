// uploadOrderFile through urql's real fetch exchange: the request bodies it builds are checked as a server would
// read them; the server's answers are given here.
import { describe, expect, it } from "vitest";
import { Client, fetchExchange } from "urql";
import { MULTIPART_LIMIT, uploadOrderFile, uploadRoute, type UploadPhase } from "./upload";
import { sha256Hex } from "./hash";

interface Seen {
  url: string;
  method: string;
  body: BodyInit | null | undefined;
}

function json(data: unknown): Response {
  return new Response(JSON.stringify({ data }), { status: 200, headers: { "content-type": "application/json" } });
}

function clientAnswering(answer: (seen: Seen) => Response, seen: Seen[]): { client: Client; send: typeof fetch } {
  const send = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const entry = { url: String(input), method: init?.method ?? "GET", body: init?.body };
    seen.push(entry);
    return answer(entry);
  }) as typeof fetch;
  const client = new Client({ url: "http://exchange.test/graphql", exchanges: [fetchExchange], fetch: send });
  return { client, send };
}

function operationOf(body: BodyInit | null | undefined): { query: string; variables: Record<string, any> } {
  if (body instanceof FormData) return JSON.parse(String(body.get("operations")));
  return JSON.parse(String(body));
}

describe("uploadRoute", () => {
  it("sends small files in the GraphQL request and large ones directly", () => {
    expect(uploadRoute(1)).toBe("multipart");
    expect(uploadRoute(MULTIPART_LIMIT)).toBe("multipart");
    expect(uploadRoute(MULTIPART_LIMIT + 1)).toBe("direct");
  });
});

describe("uploadOrderFile", () => {
  const pdf = new File(["%PDF-1.7\n%%EOF\n"], "drawing.pdf", { type: "application/pdf" });

  it("sends a small file as a GraphQL multipart request (operations, map, the file part)", async () => {
    const seen: Seen[] = [];
    const { client, send } = clientAnswering(
      () => json({ attachOrderFile: { __typename: "OrderFileSuccess", file: { id: "F1", name: "drawing.pdf" } } }),
      seen,
    );
    const phases: UploadPhase[] = [];
    const outcome = await uploadOrderFile(
      client,
      { orderId: "O1", kind: "DRAWING", file: pdf, note: "ред. А", replacesFileId: null },
      (phase) => phases.push(phase),
      send,
    );
    expect(outcome).toEqual({ ok: true, name: "drawing.pdf" });
    expect(phases).toEqual(["sending"]);
    expect(seen).toHaveLength(1);
    const body = seen[0].body as FormData;
    expect(body).toBeInstanceOf(FormData);
    const operation = operationOf(body);
    expect(operation.query).toContain("attachOrderFile");
    expect(operation.variables.input).toMatchObject({ orderId: "O1", kind: "DRAWING", note: "ред. А", file: null });
    expect(JSON.parse(String(body.get("map")))).toEqual({ 0: ["variables.input.file"] });
    const part = body.get("0") as File;
    expect(await part.text()).toBe("%PDF-1.7\n%%EOF\n");
  });

  it("gives back the API's refusal as it came, field included", async () => {
    const seen: Seen[] = [];
    const refusal = { __typename: "FileRejectedError", code: "UNSUPPORTED_FILE", message: "archives are not accepted", field: "file" };
    const { client, send } = clientAnswering(() => json({ attachOrderFile: refusal }), seen);
    const outcome = await uploadOrderFile(client, { orderId: "O1", kind: "MODEL", file: pdf, note: "", replacesFileId: null }, undefined, send);
    expect(outcome).toEqual({ ok: false, error: refusal });
  });

  it("sends a large file directly: the browser's SHA-256, PUT of the bytes, then finish", async () => {
    const big = new File([new Uint8Array(MULTIPART_LIMIT + 3)], "housing.step");
    const sha = await sha256Hex(big);
    const seen: Seen[] = [];
    const { client, send } = clientAnswering((request) => {
      if (request.method === "PUT") return new Response(null, { status: 204 });
      const { query } = operationOf(request.body);
      if (query.includes("requestFileUpload")) {
        return json({
          requestFileUpload: {
            __typename: "FileUploadSuccess",
            upload: { uploadId: "U1", method: "PUT", url: "/files/upload/token-1", fields: [] },
          },
        });
      }
      return json({ finishFileUpload: { __typename: "OrderFileSuccess", file: { id: "F2", name: "housing.step" } } });
    }, seen);
    const phases: UploadPhase[] = [];
    const outcome = await uploadOrderFile(
      client,
      { orderId: "O1", kind: "MODEL", file: big, note: "", replacesFileId: "F0" },
      (phase) => phases.push(phase),
      send,
    );
    expect(outcome).toEqual({ ok: true, name: "housing.step" });
    expect(phases).toEqual(["hashing", "sending", "finishing"]);
    expect(seen.map((request) => request.method)).toEqual(["POST", "PUT", "POST"]);
    expect(operationOf(seen[0].body).variables.input).toEqual({
      orderId: "O1",
      kind: "MODEL",
      name: "housing.step",
      size: MULTIPART_LIMIT + 3,
      sha256: sha,
      note: "",
      replacesFileId: "F0",
    });
    expect(seen[1].url).toBe("/files/upload/token-1");
    expect(seen[1].body).toBe(big);
    expect(operationOf(seen[2].body).variables).toEqual({ uploadId: "U1" });
  });

  it("stops when the storage refuses the bytes, and does not finish", async () => {
    const big = new File([new Uint8Array(MULTIPART_LIMIT + 1)], "big.stl");
    const seen: Seen[] = [];
    const { client, send } = clientAnswering((request) => {
      if (request.method === "PUT") {
        return new Response(JSON.stringify({ error: "more than the 10 bytes announced" }), { status: 413 });
      }
      return json({
        requestFileUpload: {
          __typename: "FileUploadSuccess",
          upload: { uploadId: "U2", method: "PUT", url: "/files/upload/t", fields: [] },
        },
      });
    }, seen);
    const outcome = await uploadOrderFile(client, { orderId: "O1", kind: "MODEL", file: big, note: "", replacesFileId: null }, undefined, send);
    expect(outcome).toEqual({
      ok: false,
      error: { __typename: "NetworkError", message: "more than the 10 bytes announced", code: null, field: "file" },
    });
    expect(seen).toHaveLength(2);
  });

  it("posts object storage's fields in order and the file last", async () => {
    const big = new File([new Uint8Array(MULTIPART_LIMIT + 1)], "big.stl");
    const seen: Seen[] = [];
    const { client, send } = clientAnswering((request) => {
      if (request.url.startsWith("https://bucket")) return new Response(null, { status: 204 });
      const { query } = operationOf(request.body);
      if (query.includes("requestFileUpload")) {
        return json({
          requestFileUpload: {
            __typename: "FileUploadSuccess",
            upload: {
              uploadId: "U3",
              method: "POST",
              url: "https://bucket.example/",
              fields: [
                { name: "key", value: "uploads/U3" },
                { name: "policy", value: "p" },
              ],
            },
          },
        });
      }
      return json({ finishFileUpload: { __typename: "OrderFileSuccess", file: { id: "F3", name: "big.stl" } } });
    }, seen);
    const outcome = await uploadOrderFile(client, { orderId: "O1", kind: "MODEL", file: big, note: "", replacesFileId: null }, undefined, send);
    expect(outcome.ok).toBe(true);
    const form = seen[1].body as FormData;
    expect(Array.from(form.keys())).toEqual(["key", "policy", "file"]);
  });
});

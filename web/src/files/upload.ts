// Sending one file to an order. Small files go in one GraphQL multipart request (urql's fetch exchange builds it
// when the variables hold a File); larger ones straight to storage: requestFileUpload (bound to the size and the
// SHA-256, computed here) → PUT or POST the bytes where it says → finishFileUpload, which checks and sniffs them.
import type { Client } from "urql";
import type { UserErrorLike } from "../ui/forms";
import {
  AttachOrderFileMutation,
  FinishFileUploadMutation,
  RequestFileUploadMutation,
} from "./documents";
import { sha256Hex } from "./hash";
import type { EnumOf } from "../i18n/enums";

/** Files up to this size travel in the GraphQL request itself (the server's default request cap is 32 MiB). */
export const MULTIPART_LIMIT = 16 * 1024 * 1024;

export type UploadPhase = "idle" | "hashing" | "sending" | "finishing";

export interface UploadRequest {
  orderId: string;
  kind: Extract<EnumOf<"FileKind">, string>;
  file: File;
  note: string;
  replacesFileId: string | null;
}

export type UploadOutcome = { ok: true; name: string } | { ok: false; error: UserErrorLike };

export function uploadRoute(size: number): "multipart" | "direct" {
  return size <= MULTIPART_LIMIT ? "multipart" : "direct";
}

function refusal(result: { __typename?: string; message?: string } | undefined | null): UserErrorLike | null {
  if (result && typeof result.message === "string" && result.__typename?.endsWith("Error")) return result as UserErrorLike;
  return null;
}

function networkRefusal(message: string): UserErrorLike {
  return { __typename: "NetworkError", message, code: null, field: "file" };
}

export async function uploadOrderFile(
  client: Client,
  request: UploadRequest,
  onPhase: (phase: UploadPhase) => void = () => {},
  send: typeof fetch = (...args) => fetch(...args),
): Promise<UploadOutcome> {
  const { orderId, kind, file, note, replacesFileId } = request;
  if (uploadRoute(file.size) === "multipart") {
    onPhase("sending");
    const result = await client
      .mutation(AttachOrderFileMutation, { input: { orderId, kind, file, note, replacesFileId } })
      .toPromise();
    if (result.error) return { ok: false, error: networkRefusal(result.error.message) };
    const payload = result.data?.attachOrderFile;
    const error = refusal(payload);
    if (error) return { ok: false, error };
    return payload?.__typename === "OrderFileSuccess"
      ? { ok: true, name: payload.file.name }
      : { ok: false, error: networkRefusal("no answer") };
  }

  onPhase("hashing");
  const sha256 = await sha256Hex(file);
  const started = await client
    .mutation(RequestFileUploadMutation, {
      input: { orderId, kind, name: file.name, size: file.size, sha256, note, replacesFileId },
    })
    .toPromise();
  if (started.error) return { ok: false, error: networkRefusal(started.error.message) };
  const startPayload = started.data?.requestFileUpload;
  const startError = refusal(startPayload);
  if (startError) return { ok: false, error: startError };
  if (startPayload?.__typename !== "FileUploadSuccess") return { ok: false, error: networkRefusal("no answer") };
  const { upload } = startPayload;

  onPhase("sending");
  let response: Response;
  if (upload.method.toUpperCase() === "PUT") {
    response = await send(upload.url, { method: "PUT", body: file });
  } else {
    // Object storage's presigned POST: its fields in order, the file last.
    const form = new FormData();
    for (const field of upload.fields) form.append(field.name, field.value);
    form.append("file", file);
    response = await send(upload.url, { method: "POST", body: form });
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: string };
      if (body.error) message = body.error;
    } catch {
      // not JSON (object storage answers XML): the status says enough
    }
    return { ok: false, error: networkRefusal(message) };
  }

  onPhase("finishing");
  const finished = await client.mutation(FinishFileUploadMutation, { uploadId: upload.uploadId }).toPromise();
  if (finished.error) return { ok: false, error: networkRefusal(finished.error.message) };
  const finishPayload = finished.data?.finishFileUpload;
  const finishError = refusal(finishPayload);
  if (finishError) return { ok: false, error: finishError };
  return finishPayload?.__typename === "OrderFileSuccess"
    ? { ok: true, name: finishPayload.file.name }
    : { ok: false, error: networkRefusal("no answer") };
}

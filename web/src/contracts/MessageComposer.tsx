// Write to the other party, with files: a drawing's new revision, a photo of the first article, an inspection
// report. Files are chosen with the file input or dropped onto the composer, each shown as a chip (name, size) that
// can be removed; a message may be files only. The limits the API states (messageAttachmentLimits) are shown up
// front and checked here only so that nobody waits for an upload that cannot be taken; the API decides, and its
// refusal of a file is worded by its reason beside that file's chip. The files travel in the GraphQL multipart
// request urql builds (as order files do), carried by an XMLHttpRequest so that the progress shows. Nothing typed
// or chosen is lost on a refusal or a cancel.
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient, useQuery } from "urql";
import { graphql, type ResultOf } from "../graphql";
import { errorMessage, UserErrorFragment } from "../errors/userError";
import { fetchWithUploadProgress, type UploadProgress } from "../files/progressFetch";
import { useSize } from "../files/useSize";
import { localeOf } from "../i18n/format";
import { ErrorSummary, ErrorText, Field, fieldId, userErrorOf, type UserErrorLike } from "../ui/forms";

export const MessageAttachmentLimitsQuery = graphql(`
  query MessageAttachmentLimits {
    messageAttachmentLimits {
      maxFiles
      maxFileBytes
      maxTotalBytes
      formats
      extensions
    }
  }
`);

export type AttachmentLimits = ResultOf<typeof MessageAttachmentLimitsQuery>["messageAttachmentLimits"];

export const PostMessageMutation = graphql(
  `
    mutation PostContractMessage($contractId: ID!, $body: String!, $files: [Upload!]) {
      postContractMessage(contractId: $contractId, body: $body, files: $files) {
        __typename
        ... on ContractMessageSuccess {
          contractMessage {
            id
            attachments {
              name
            }
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

interface Chosen {
  key: number;
  file: File;
}

type Sending = { progress: UploadProgress | null; cancel: AbortController } | null;

const FORM = "message";

/** The index of the file a refusal names ("files.2" → 2), or null. */
export function refusedFileIndex(error: UserErrorLike | null): number | null {
  const match = error?.field?.match(/^files\.(\d+)$/);
  return match ? Number(match[1]) : null;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

export function MessageComposer({ contractId, onPosted }: { contractId: string; onPosted: () => void }) {
  const { t, i18n } = useTranslation("contracts");
  const size = useSize();
  const client = useClient();
  const [limitsResult] = useQuery({ query: MessageAttachmentLimitsQuery });
  const limits = limitsResult.data?.messageAttachmentLimits ?? null;
  const [body, setBody] = useState("");
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [status, setStatus] = useState("");
  const [sending, setSending] = useState<Sending>(null);
  const [dragging, setDragging] = useState(false);
  const nextKey = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);

  const canAttach = limits !== null && limits.maxFiles > 0;
  const total = chosen.reduce((sum, { file }) => sum + file.size, 0);
  const overTotal = limits !== null && chosen.length > 0 && total > limits.maxTotalBytes;
  // A file the API would refuse for its size is not sent at all: its refusal, worded as the API's would be.
  const tooLarge = (file: File): UserErrorLike | null =>
    limits && file.size > limits.maxFileBytes
      ? {
          __typename: "FileRejectedError",
          code: "FILE_TOO_LARGE",
          message: "",
          reason: "TOO_LARGE",
          limits: { unit: "BYTES", min: null, max: String(limits.maxFileBytes), currency: null },
        }
      : null;
  const blocked = overTotal || chosen.some(({ file }) => tooLarge(file));
  const refusedIndex = refusedFileIndex(error);
  // A refusal about one file is shown at its chip; one about the files as a whole (how many) at the file field.
  const fieldError = error && refusedIndex === null ? { ...error, field: error.field === "attachments" ? "files" : error.field } : error;

  function add(files: FileList | File[]) {
    if (!limits || sending) return;
    const incoming = Array.from(files);
    if (incoming.length === 0) return;
    const room = Math.max(0, limits.maxFiles - chosen.length);
    const taken = incoming.slice(0, room);
    const left = incoming.slice(room);
    setChosen((current) => [...current, ...taken.map((file) => ({ key: nextKey.current++, file }))]);
    setError(null);
    const said = [
      taken.length ? t("messages.added", { names: taken.map((file) => file.name).join(", ") }) : "",
      left.length ? t("messages.tooMany", { count: limits.maxFiles, names: left.map((file) => file.name).join(", ") }) : "",
    ];
    setStatus(said.filter(Boolean).join(" "));
  }

  function remove(item: Chosen) {
    setChosen((current) => current.filter((other) => other.key !== item.key));
    setError(null);
    setStatus(t("messages.removed", { name: item.file.name }));
    fileInput.current?.focus();
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (sending || blocked) return;
    const files = chosen.map(({ file }) => file);
    const cancel = new AbortController();
    setError(null);
    setSending({ progress: null, cancel });
    setStatus(files.length ? t("messages.sendingAnnounce", { size: size(total) }) : "");
    const context = files.length
      ? {
          additionalTypenames: ["ContractMessage"],
          fetch: fetchWithUploadProgress((progress) => setSending((now) => (now ? { ...now, progress } : now)), cancel.signal),
        }
      : { additionalTypenames: ["ContractMessage"] };
    const result = await client
      .mutation(PostMessageMutation, { contractId, body, files: files.length ? files : null }, context)
      .toPromise();
    setSending(null);
    if (cancel.signal.aborted) {
      setStatus(t("messages.cancelled"));
      return;
    }
    const payload = result.data?.postContractMessage;
    if (payload?.__typename === "ContractMessageSuccess") {
      setBody("");
      setChosen([]);
      setStatus(t("messages.sent"));
      onPosted();
      return;
    }
    const refusal = userErrorOf(payload) ?? { message: result.error?.message ?? "no answer", field: null };
    setError(refusal);
    const index = refusedFileIndex(refusal);
    setStatus(
      index !== null && chosen[index]
        ? t("messages.refusedFile", { name: chosen[index].file.name })
        : t("messages.refused", { reason: errorMessage(refusal, i18n.t, i18n.language) }),
    );
  }

  const progress = sending?.progress;
  const percent = progress && progress.total > 0 ? progress.loaded / progress.total : 0;
  const uploaded = progress !== null && progress !== undefined && progress.loaded >= progress.total;

  return (
    <form
      className={dragging ? "message-form message-form-dragging" : "message-form"}
      noValidate
      onSubmit={submit}
      onDragOver={(event) => {
        if (!canAttach || sending || !event.dataTransfer.types.includes("Files")) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(event) => {
        if (!canAttach || sending) return;
        event.preventDefault();
        setDragging(false);
        add(event.dataTransfer.files);
      }}
      data-testid="message-composer"
    >
      <ErrorSummary form={FORM} error={fieldError} />
      <Field form={FORM} name="body" label={t("messages.label")} error={fieldError}>
        {(props) => (
          <textarea {...props} rows={3} value={body} onChange={(event) => setBody(event.target.value)} readOnly={!!sending} />
        )}
      </Field>
      {limits === null ? null : canAttach ? (
        <Field
          form={FORM}
          name="files"
          label={t("messages.files")}
          hint={t("messages.filesHint", {
            count: limits.maxFiles,
            max: size(limits.maxFileBytes),
            total: size(limits.maxTotalBytes),
            formats: limits.formats.map((format) => format.toUpperCase()).join(", "),
          })}
          error={fieldError}
        >
          {(props) => (
            <div className={dragging ? "dropzone dropzone-active" : "dropzone"}>
              <span aria-hidden="true">{t("messages.drop")} </span>
              <input
                {...props}
                ref={fileInput}
                type="file"
                multiple
                accept={limits.extensions.join(",")}
                disabled={!!sending}
                onChange={(event) => {
                  if (event.target.files) add(event.target.files);
                  event.target.value = "";
                }}
              />
            </div>
          )}
        </Field>
      ) : (
        <p className="muted">{t("messages.noFiles")}</p>
      )}
      {chosen.length > 0 ? (
        <ul className="file-chips" aria-label={t("messages.chosen")}>
          {chosen.map((item, index) => {
            const refused = index === refusedIndex ? error : null;
            const local = tooLarge(item.file);
            const problem = refused ?? local;
            const odd = !problem && limits && !limits.extensions.includes(extensionOf(item.file.name));
            return (
              <li
                key={item.key}
                id={fieldId(FORM, `files.${index}`)}
                tabIndex={-1}
                className={problem ? "file-chip file-chip-error" : "file-chip"}
              >
                <span className="file-chip-name">{item.file.name}</span> <span className="muted">{size(item.file.size)}</span>{" "}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => remove(item)}
                  disabled={!!sending}
                  aria-label={t("messages.removeLabel", { name: item.file.name })}
                >
                  {t("messages.remove")}
                </button>
                {problem ? (
                  <p className="field-message">
                    <ErrorText error={problem} />
                  </p>
                ) : odd ? (
                  <p className="hint">{t("messages.oddExtension")}</p>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {overTotal && limits ? (
        <p className="field-message">{t("messages.overTotal", { size: size(total), total: size(limits.maxTotalBytes) })}</p>
      ) : null}
      {sending && chosen.length > 0 ? (
        <div className="upload-progress">
          <progress
            max={1}
            value={progress ? percent : undefined}
            aria-label={t("messages.sendingLabel")}
          />
          <span className="muted">
            {uploaded
              ? t("messages.checking")
              : progress
                ? t("messages.sending", {
                    loaded: size(progress.loaded),
                    total: size(progress.total),
                    percent: new Intl.NumberFormat(localeOf(i18n.language), { style: "percent" }).format(percent),
                  })
                : t("messages.sendingAnnounce", { size: size(total) })}
          </span>
          {uploaded ? null : (
            <button type="button" onClick={() => sending.cancel.abort()}>
              {t("messages.cancel")}
            </button>
          )}
        </div>
      ) : null}
      <p className="actions">
        <button type="submit" className="primary" disabled={!!sending || blocked}>
          {t("messages.send")}
        </button>
        <span role="status" aria-live="polite" className="muted">
          {status}
        </span>
      </p>
    </form>
  );
}

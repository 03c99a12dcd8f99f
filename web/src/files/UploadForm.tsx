// Attach a drawing, model or specification (or a new revision of one): a kind, the file by drag-and-drop or the
// file input, a note. The API sniffs the content and refuses archives, oversized files and the like; the refusal
// is shown at the file field and nothing is added.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";
import { ErrorSummary, Field, errorIsFor, type UserErrorLike } from "../ui/forms";
import { uploadOrderFile, type UploadPhase, type UploadRequest } from "./upload";
import { useSize } from "./useSize";

const KINDS = ["DRAWING", "MODEL", "SPECIFICATION"] as const;

export function UploadForm({
  orderId,
  replaces,
  onUploaded,
  onSubmitted,
  onCancel,
}: {
  orderId: string;
  replaces?: { id: string; name: string } | null;
  onUploaded: (name: string) => void;
  /** Called when an upload is sent: what was said about the previous one no longer applies. */
  onSubmitted?: () => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation("files");
  const client = useClient();
  const size = useSize();
  const form = replaces ? "file-revision" : "file-upload";
  const [kind, setKind] = useState<UploadRequest["kind"]>("DRAWING");
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState("");
  const [phase, setPhase] = useState<UploadPhase>("idle");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [dragging, setDragging] = useState(false);
  const [inputKey, setInputKey] = useState(0);

  // A refusal about the file itself (type, size, limit, storage) is shown at the file input.
  const shown = error && !errorIsFor(error, ["kind", "note"]) ? { ...error, field: "file" } : error;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!file) {
      setError({ message: t("upload.chooseFirst"), field: "file" });
      return;
    }
    setError(null);
    onSubmitted?.();
    try {
      const outcome = await uploadOrderFile(
        client,
        { orderId, kind, file, note, replacesFileId: replaces?.id ?? null },
        setPhase,
      );
      if (!outcome.ok) {
        setError(outcome.error);
        return;
      }
      setFile(null);
      setNote("");
      setInputKey((key) => key + 1);
      onUploaded(outcome.name);
    } catch (failure) {
      setError({ message: t("upload.network", { message: String(failure) }), field: "file" });
    } finally {
      setPhase("idle");
    }
  }

  const busy = phase !== "idle";
  return (
    <form className="upload-form" onSubmit={submit} noValidate aria-labelledby={`${form}-title`}>
      <h3 id={`${form}-title`}>{replaces ? t("upload.replaceTitle", { name: replaces.name }) : t("upload.title")}</h3>
      <ErrorSummary form={form} error={shown} />
      {replaces ? null : (
        <Field form={form} name="kind" label={t("upload.kind")} error={shown} aliases={["input.kind"]}>
          {(props) => (
            <select {...props} value={kind} onChange={(event) => setKind(event.target.value as UploadRequest["kind"])}>
              {KINDS.map((value) => (
                <option key={value} value={value}>
                  {t(`kind.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field form={form} name="file" label={t("upload.file")} hint={t("upload.fileHint")} error={shown}>
        {(props) => (
          <div
            className={dragging ? "dropzone dropzone-active" : "dropzone"}
            data-testid="dropzone"
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(event) => {
              event.preventDefault();
              setDragging(false);
              const dropped = event.dataTransfer.files[0];
              if (dropped) {
                setFile(dropped);
                setError(null);
              }
            }}
          >
            <p aria-hidden="true">{t("upload.drop")}</p>
            <input
              key={inputKey}
              type="file"
              {...props}
              accept=".pdf,.step,.stp,.iges,.igs,.stl,.dxf,.png,.jpg,.jpeg"
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setError(null);
              }}
            />
            {file ? (
              <p className="muted" aria-live="polite">
                {t("upload.chosen", { name: file.name, size: size(file.size) })}
              </p>
            ) : null}
          </div>
        )}
      </Field>
      <Field form={form} name="note" label={t("upload.note")} hint={t("upload.noteHint")} error={shown} aliases={["input.note"]} optional>
        {(props) => <textarea {...props} rows={2} maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} />}
      </Field>
      <p className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {replaces ? t("upload.submitRevision") : t("upload.submit")}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel} disabled={busy}>
            {t("files.cancelReplace")}
          </button>
        ) : null}
        {busy ? (
          <span role="status" className="muted">
            {t(`upload.${phase}`)}
          </span>
        ) : null}
      </p>
    </form>
  );
}

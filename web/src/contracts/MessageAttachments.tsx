// A message's files as the other party (and the author) sees them: name, format, size, and a download that asks the
// API for a short-lived URL when clicked (requestMessageAttachmentDownload checks the rights then and records the
// download), then follows it. A file only described (an older message that named it without its bytes) has no link.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql } from "../graphql";
import { UserErrorFragment } from "../errors/userError";
import { useSize } from "../files/useSize";
import { ErrorText, userErrorOf, type UserErrorLike } from "../ui/forms";

const RequestDownload = graphql(
  `
    mutation RequestMessageAttachmentDownload($messageId: ID!, $index: Int!) {
      requestMessageAttachmentDownload(messageId: $messageId, index: $index) {
        __typename
        ... on AttachmentDownloadSuccess {
          url
          name
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

// What a person calls the format: the stored content types (read from the bytes by the API) by their usual names.
const FORMATS: Record<string, string> = {
  "application/pdf": "PDF",
  "model/step": "STEP",
  "model/iges": "IGES",
  "model/stl": "STL",
  "image/vnd.dxf": "DXF",
  "image/png": "PNG",
  "image/jpeg": "JPEG",
};

export interface AttachmentView {
  name: string;
  sizeBytes: number;
  contentType: string;
  checksum: string;
  stored: boolean;
}

export function formatOf(attachment: Pick<AttachmentView, "name" | "contentType">): string {
  const known = FORMATS[attachment.contentType];
  if (known) return known;
  const dot = attachment.name.lastIndexOf(".");
  return dot > 0 ? attachment.name.slice(dot + 1).toUpperCase() : attachment.contentType;
}

export function MessageAttachments({ messageId, attachments }: { messageId: string; attachments: readonly AttachmentView[] }) {
  const { t } = useTranslation("contracts");
  const size = useSize();
  return (
    <ul className="attachments" aria-label={t("messages.attachments")}>
      {attachments.map((file, index) => (
        <li key={`${index}-${file.checksum}`} className="attachment">
          <span className="attachment-name">{file.name}</span>{" "}
          <span className="muted">({t("messages.fileMeta", { format: formatOf(file), size: size(file.sizeBytes) })})</span>{" "}
          {file.stored ? (
            <AttachmentDownload messageId={messageId} index={index} name={file.name} />
          ) : (
            <span className="muted">— {t("messages.notStored")}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

function AttachmentDownload({ messageId, index, name }: { messageId: string; index: number; name: string }) {
  const { t } = useTranslation("contracts");
  const [state, request] = useMutation(RequestDownload);
  const [error, setError] = useState<UserErrorLike | null>(null);

  async function download() {
    setError(null);
    const result = await request({ messageId, index });
    const payload = result.data?.requestMessageAttachmentDownload;
    if (payload?.__typename !== "AttachmentDownloadSuccess") {
      setError(userErrorOf(payload) ?? { message: result.error?.message ?? "no answer", field: null });
      return;
    }
    const link = document.createElement("a");
    link.href = payload.url;
    link.download = payload.name;
    link.rel = "noopener";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  return (
    <>
      <button
        type="button"
        className="link-button"
        onClick={download}
        disabled={state.fetching}
        aria-label={t("messages.downloadLabel", { name })}
      >
        {state.fetching ? t("messages.downloading") : t("messages.download")}
      </button>
      {error ? (
        <span className="field-message" role="alert">
          {" "}
          <ErrorText error={error} />
        </span>
      ) : null}
    </>
  );
}

// Download one file revision: ask the API for a short-lived URL (it checks the rights now and records the
// download for the buyer), then follow it; the file comes as an attachment.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { ErrorText, userErrorOf, type UserErrorLike } from "../ui/forms";
import { RequestFileDownloadMutation } from "./documents";

export function DownloadButton({
  fileId,
  name,
  onDownloaded,
  onRefused,
}: {
  fileId: string;
  name: string;
  onDownloaded?: () => void;
  /** The rights changed since the page was read (an NDA to accept first): the section re-reads the order. */
  onRefused?: (error: UserErrorLike) => void;
}) {
  const { t } = useTranslation("files");
  const [state, request] = useMutation(RequestFileDownloadMutation);
  const [error, setError] = useState<UserErrorLike | null>(null);

  async function download() {
    setError(null);
    const result = await request({ fileId });
    const payload = result.data?.requestFileDownload;
    const refused = userErrorOf(payload);
    if (result.error || refused || payload?.__typename !== "FileDownloadSuccess") {
      const error = refused ?? { message: result.error?.message ?? "no answer", field: null };
      setError(error);
      if (refused?.code === "NDA_REQUIRED") onRefused?.(refused);
      return;
    }
    const link = document.createElement("a");
    link.href = payload.url;
    link.download = payload.file.name;
    link.rel = "noopener";
    document.body.appendChild(link);
    link.click();
    link.remove();
    onDownloaded?.();
  }

  return (
    <span className="download">
      <button type="button" onClick={download} disabled={state.fetching} aria-label={t("files.downloadLabel", { name })}>
        {state.fetching ? t("files.downloading") : t("files.download")}
      </button>
      {error ? (
        <span className="field-message" role="alert">
          <ErrorText error={error} />
        </span>
      ) : null}
    </span>
  );
}

// The order's files (current revisions): kind, sniffed format, size, revision, note, the active-content warning,
// the model's analysed size, its preview (a drawing's first page, a model in 3D), a download for whoever may see
// them, and each file's earlier revisions.
import { useTranslation } from "react-i18next";
import { readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import type { UserErrorLike } from "../ui/forms";
import { DownloadButton } from "./DownloadButton";
import { FilePreview } from "./FilePreview";
import { ProcessingFailure } from "./ProcessingFailure";
import { OrderFileRowFragment } from "./documents";
import { useSize } from "./useSize";

type FileRow = FragmentOf<typeof OrderFileRowFragment>;

const MODEL_FORMATS = new Set(["STL", "STEP", "IGES"]);

export interface FileWithHistory {
  current: FileRow;
  previous: readonly FileRow[];
}

function FileFacts({ data }: { data: FileRow }) {
  const { t } = useTranslation("files");
  const format = useFormat();
  const file = readFragment(OrderFileRowFragment, data);
  const geometry = file.geometry;
  return (
    <>
      {file.note ? <p className="file-note">{file.note}</p> : null}
      <p className="file-sha muted">
        {t("files.sha")}: <code>{file.sha256}</code>
      </p>
      {file.activeContent ? (
        <p className="file-warning" role="note">
          ⚠ {t("files.activeContent")}
        </p>
      ) : null}
      {geometry?.status === "DONE" && geometry.sizeXMm != null && geometry.sizeYMm != null && geometry.sizeZMm != null ? (
        <p className="muted">
          {t("files.geometry", {
            x: format.number(geometry.sizeXMm),
            y: format.number(geometry.sizeYMm),
            z: format.number(geometry.sizeZMm),
          })}
        </p>
      ) : null}
      {MODEL_FORMATS.has(file.format) && !geometry ? <p className="muted">{t("files.analysing")}</p> : null}
      {geometry?.status === "FAILED" ? <ProcessingFailure what="geometry" failure={geometry.failure} /> : null}
    </>
  );
}

export function FileTable({
  files,
  canDownload,
  onReplace,
  onDownloaded,
  onRefused,
}: {
  files: readonly FileWithHistory[];
  canDownload: boolean;
  onReplace?: (fileId: string, name: string) => void;
  onDownloaded?: () => void;
  onRefused?: (error: UserErrorLike) => void;
}) {
  const { t } = useTranslation("files");
  const format = useFormat();
  const size = useSize();
  return (
    <ul className="file-list">
      {files.map(({ current, previous }) => {
        const file = readFragment(OrderFileRowFragment, current);
        return (
          <li key={file.id} className="file-item" data-testid="order-file">
            <div className="file-head">
              <strong className="file-name">{file.name}</strong>
              <span className="badge">{t(`kind.${file.kind}`)}</span>
              <span className="file-meta">
                {file.format} · {size(file.size)} · {t("files.revisionValue", { revision: file.revision })} ·{" "}
                {format.dateTime(file.uploadedAt)}
              </span>
            </div>
            <FileFacts data={current} />
            {canDownload ? (
              <FilePreview
                name={file.name}
                preview={file.preview}
                geometryFailure={file.geometry?.status === "FAILED" ? file.geometry.failure : null}
              />
            ) : null}
            <p className="actions">
              {canDownload ? <DownloadButton fileId={file.id} name={file.name} onDownloaded={onDownloaded} onRefused={onRefused} /> : null}
              {onReplace ? (
                <button
                  type="button"
                 
                  onClick={() => onReplace(file.id, file.name)}
                  aria-label={t("files.replaceLabel", { name: file.name })}
                >
                  {t("files.replace")}
                </button>
              ) : null}
            </p>
            {previous.length > 0 ? (
              <details className="file-history">
                <summary>{t("files.history", { count: previous.length })}</summary>
                <ul aria-label={t("files.historyLabel", { name: file.name })}>
                  {previous.map((row) => {
                    const old = readFragment(OrderFileRowFragment, row);
                    return (
                      <li key={old.id}>
                        <span>
                          {old.name} · {t("files.revisionValue", { revision: old.revision })} · {size(old.size)} ·{" "}
                          {format.dateTime(old.uploadedAt)}
                          {old.supersededAt ? ` · ${t("files.superseded", { date: format.dateTime(old.supersededAt) })}` : ""}
                        </span>
                        <FileFacts data={row} />
                        {canDownload ? (
                          <DownloadButton fileId={old.id} name={`${old.name} (${t("files.revisionValue", { revision: old.revision })})`} onDownloaded={onDownloaded} onRefused={onRefused} />
                        ) : null}
                      </li>
                    );
                  })}
                </ul>
              </details>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

// A file's preview as the API made it: a drawing's first page inline (a PNG drawn by the server, never the PDF
// itself), a model in a 3D viewer that loads on demand (its own chunk: three.js stays out of the main bundle), the
// reason when there is none (ProcessingFailure.tsx: the API's code, worded here). The URL is short-lived and signed
// like a download's; the API decides who gets one.
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { ProcessingFailure, type FailureData } from "./ProcessingFailure";

const ModelViewer = lazy(() => import("./ModelViewer"));

export interface PreviewData {
  readonly status: "PENDING" | "DONE" | "FAILED";
  readonly kind: "MODEL" | "PAGE";
  readonly url: string | null;
  readonly failure: FailureData | null;
}

export function FilePreview({
  name,
  preview,
  geometryFailure = null,
}: {
  name: string;
  preview: PreviewData | null;
  /** The model's failed analysis, when shown just above: the same reason is not said twice. */
  geometryFailure?: FailureData | null;
}) {
  const { t } = useTranslation("files");
  const [open, setOpen] = useState(false);
  if (!preview) return null;
  if (preview.status === "PENDING") return <p className="muted">{t("files.previewPending")}</p>;
  if (preview.status === "FAILED" || !preview.url) {
    if (preview.failure && geometryFailure?.code === preview.failure.code) {
      return (
        <p className="muted" data-testid="preview-failure">
          {t("files.previewFailedSame")}
        </p>
      );
    }
    return <ProcessingFailure what="preview" failure={preview.failure} />;
  }
  if (preview.kind === "PAGE") {
    return (
      <figure className="file-preview file-preview-page" data-testid="file-preview-page">
        <a href={preview.url} target="_blank" rel="noreferrer noopener" title={t("files.openPage")}>
          <img src={preview.url} alt={t("files.pageAlt", { name })} loading="lazy" />
        </a>
      </figure>
    );
  }
  return (
    <div className="file-preview file-preview-model">
      <button
        type="button"
        aria-expanded={open}
        aria-label={open ? t("files.hide3d") : t("files.show3dLabel", { name })}
        onClick={() => setOpen(!open)}
      >
        {open ? t("files.hide3d") : t("files.show3d")}
      </button>
      {open ? (
        <Suspense fallback={<p className="muted">{t("files.viewerLoading")}</p>}>
          <ModelViewer url={preview.url} name={name} />
        </Suspense>
      ) : null}
    </div>
  );
}

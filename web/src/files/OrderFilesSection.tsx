// The order's files on the order page, for whoever looks: the buyer manages them (upload, revisions) and, beside the
// bids, the NDA, the part size and the download log; a manufacturer sees the NDA to accept, the files to download,
// or why they are hidden.
// What each may do comes from the API (viewerIsBuyer, viewerCanEdit, fileAccess).
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { readFragment, type FragmentOf } from "../graphql";
import { ErrorText, type UserErrorLike } from "../ui/forms";
import { DownloadAudit } from "./DownloadAudit";
import { EnvelopePanel } from "./EnvelopePanel";
import { FileTable } from "./FileTable";
import { NdaGate } from "./NdaGate";
import { NdaPanel } from "./NdaPanel";
import { UploadForm } from "./UploadForm";
import { OrderFileRowFragment, OrderFilesFragment } from "./documents";
import "./files.css";

export { OrderFilesFragment };

const POLL_MS = 3000;
const POLLS = 40;

/** While an STL model waits for the worker's analysis (README: within a minute), re-read the order every few
 * seconds, for two minutes at most, so its size and the part envelope show up without a reload. */
function useAnalysisPolling(pending: boolean, refresh: () => void) {
  useEffect(() => {
    if (!pending) return;
    let polls = 0;
    const timer = window.setInterval(() => {
      polls += 1;
      if (polls > POLLS) window.clearInterval(timer);
      else refresh();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [pending, refresh]);
}

export function OrderFilesSection({
  data,
  canEdit,
  onChanged,
}: {
  data: FragmentOf<typeof OrderFilesFragment>;
  canEdit: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation("files");
  const order = readFragment(OrderFilesFragment, data);
  const [replacing, setReplacing] = useState<{ id: string; name: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<UserErrorLike | null>(null);
  const files = order.files.map((file) => ({ current: file, previous: file.previousRevisions }));
  const analysing = files.some(({ current }) => {
    const file = readFragment(OrderFileRowFragment, current);
    return file.format === "STL" && !file.geometry;
  });
  useAnalysisPolling(analysing, onChanged);

  const uploaded = (name: string) => {
    setReplacing(null);
    setNotice(t("upload.done", { name }));
    onChanged();
  };

  const filesSection = (
    <section className="panel files-panel" aria-labelledby="files-title">
      <h2 id="files-title">{t("files.title")}</h2>
      {order.viewerIsBuyer ? (
        <p className="hint">{t("files.lead", { nda: order.nda ? t("files.ndaLead") : "" })}</p>
      ) : null}
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      {refusal ? (
        <p className="field-message" role="alert">
          <ErrorText error={refusal} />
        </p>
      ) : null}
      {order.fileAccess === "HIDDEN" ? (
        <p className="muted">{t("gate.hidden")}</p>
      ) : order.fileAccess === "NDA_REQUIRED" && order.nda ? (
        <NdaGate
          orderId={order.id}
          nda={order.nda}
          onAccepted={() => {
            setRefusal(null);
            setNotice(t("nda.accepted"));
            onChanged();
          }}
          onStale={() => {
            setRefusal(null);
            onChanged();
          }}
        />
      ) : files.length === 0 ? (
        <p className="state state-empty">{t("files.none")}</p>
      ) : (
        <FileTable
          files={files}
          canDownload={order.fileAccess === "GRANTED"}
          onReplace={order.viewerIsBuyer && canEdit ? (id, name) => setReplacing({ id, name }) : undefined}
          onDownloaded={order.viewerIsBuyer ? onChanged : undefined}
          onRefused={(error) => {
            setNotice(null);
            setRefusal(error);
            onChanged();
          }}
        />
      )}
      {order.viewerIsBuyer && canEdit ? (
        replacing ? (
          <UploadForm key={replacing.id} orderId={order.id} replaces={replacing} onUploaded={uploaded} onSubmitted={() => setNotice(null)} onCancel={() => setReplacing(null)} />
        ) : (
          <UploadForm orderId={order.id} onUploaded={uploaded} onSubmitted={() => setNotice(null)} />
        )
      ) : null}
    </section>
  );

  return filesSection;
}

/** Beside the bids: the NDA and who accepted it, the part size, the download log — for the buyer, and for whoever
 * else the API gives the acceptances and the log (operators); nothing for a manufacturer. */
export function OrderFilesSidePanels({
  data,
  canEdit,
  onChanged,
}: {
  data: FragmentOf<typeof OrderFilesFragment>;
  canEdit: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation("files");
  const order = readFragment(OrderFilesFragment, data);
  const auditVisible = order.fileDownloads != null || order.ndaAcceptances != null;
  if (!order.viewerIsBuyer && !auditVisible) return null;
  const fileNames = new Map<string, string>();
  for (const file of order.files) {
    for (const row of [file, ...file.previousRevisions]) {
      const revision = readFragment(OrderFileRowFragment, row);
      fileNames.set(revision.id, `${revision.name} (${t("files.revisionValue", { revision: revision.revision })})`);
    }
  }
  return (
    <>
      <NdaPanel
        orderId={order.id}
        nda={order.nda ?? null}
        acceptances={order.ndaAcceptances ?? []}
        canChange={order.viewerIsBuyer && canEdit}
        onChanged={onChanged}
      />
      <EnvelopePanel
        orderId={order.id}
        envelope={order.partEnvelope ?? null}
        canChange={order.viewerIsBuyer && canEdit}
        onChanged={onChanged}
      />
      {order.fileDownloads != null ? <DownloadAudit records={order.fileDownloads} fileNames={fileNames} /> : null}
    </>
  );
}

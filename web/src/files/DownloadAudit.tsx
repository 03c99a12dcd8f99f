// The buyer's download log: every URL issued for the order's files, newest first.
import { useTranslation } from "react-i18next";
import { useFormat } from "../i18n/format";
import { Empty } from "../ui/States";

interface Record {
  issuedAt: string;
  servedAt: string | null;
  fileId: string;
  organisation: { id: string; name: string } | null;
}

export function DownloadAudit({ records, fileNames }: { records: readonly Record[]; fileNames: Map<string, string> }) {
  const { t } = useTranslation("files");
  const format = useFormat();
  return (
    <section className="panel" aria-labelledby="downloads-title">
      <h2 id="downloads-title">{t("audit.title")}</h2>
      <p className="hint">{t("audit.lead")}</p>
      {records.length === 0 ? (
        <Empty>{t("audit.none")}</Empty>
      ) : (
        <table className="table" aria-labelledby="downloads-title">
          <thead>
            <tr>
              <th scope="col">{t("audit.when")}</th>
              <th scope="col">{t("audit.who")}</th>
              <th scope="col">{t("audit.file")}</th>
              <th scope="col">{t("audit.served")}</th>
            </tr>
          </thead>
          <tbody>
            {records.map((record, index) => (
              <tr key={`${record.issuedAt}-${index}`}>
                <td>{format.dateTime(record.issuedAt)}</td>
                <td>{record.organisation?.name ?? t("audit.buyerSelf")}</td>
                <td>{fileNames.get(record.fileId) ?? record.fileId}</td>
                <td>{record.servedAt ? format.dateTime(record.servedAt) : <span className="muted">{t("audit.notServed")}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

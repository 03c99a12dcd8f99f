// The buyer's NDA: require one (its text), change it (a new version to be accepted anew), stop requiring it;
// and who accepted which version, when.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { useFormat } from "../i18n/format";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { Empty } from "../ui/States";
import { SetOrderNdaMutation } from "./documents";

interface Nda {
  version: number;
  text: string;
  createdAt: string;
}

interface Acceptance {
  version: number;
  acceptedAt: string;
  organisation: { id: string; name: string } | null;
}

export function NdaPanel({
  orderId,
  nda,
  acceptances,
  canChange,
  onChanged,
}: {
  orderId: string;
  nda: Nda | null;
  acceptances: readonly Acceptance[];
  canChange: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation("files");
  const format = useFormat();
  const [text, setText] = useState(nda?.text ?? "");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [state, setNda] = useMutation(SetOrderNdaMutation);

  async function save(value: string | null) {
    setError(null);
    setNotice(null);
    const result = await setNda({ orderId, text: value });
    const payload = result.data?.setOrderNda;
    const refused = userErrorOf(payload);
    if (result.error || refused) {
      setError(refused ?? { message: result.error?.message ?? "", field: null });
      return;
    }
    if (value === null) setText("");
    setNotice(value === null ? t("nda.stopped") : t("nda.saved"));
    onChanged();
  }

  const form = "order-nda";
  return (
    <section className="panel" aria-labelledby="nda-title">
      <h2 id="nda-title">{t("nda.title")}</h2>
      <p className="hint">{t("nda.buyerLead")}</p>
      {nda ? (
        <p>
          <span className="badge badge-ok">{t("nda.inForce", { version: nda.version, date: format.dateTime(nda.createdAt) })}</span>
        </p>
      ) : (
        <p className="muted">{t("nda.notRequired")}</p>
      )}
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      {canChange ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save(text);
          }}
        >
          <ErrorSummary form={form} error={error} />
          <Field form={form} name="text" label={t("nda.text")} hint={t("nda.textHint")} error={error}>
            {(props) => <textarea {...props} rows={5} value={text} onChange={(event) => setText(event.target.value)} />}
          </Field>
          <p className="actions">
            <button type="submit" className="primary" disabled={state.fetching}>
              {nda ? t("nda.save") : t("nda.require")}
            </button>
            {nda ? (
              <button type="button" disabled={state.fetching} onClick={() => void save(null)}>
                {t("nda.stop")}
              </button>
            ) : null}
          </p>
        </form>
      ) : nda ? (
        <blockquote className="nda-text">{nda.text}</blockquote>
      ) : null}
      <h3 id="nda-acceptances">{t("nda.acceptances")}</h3>
      {acceptances.length === 0 ? (
        <Empty>{t("nda.noAcceptances")}</Empty>
      ) : (
        <table className="table" aria-labelledby="nda-acceptances">
          <thead>
            <tr>
              <th scope="col">{t("nda.organisation")}</th>
              <th scope="col">{t("nda.version")}</th>
              <th scope="col">{t("nda.acceptedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {acceptances.map((acceptance) => (
              <tr key={`${acceptance.organisation?.id ?? "?"}-${acceptance.version}`}>
                <td>{acceptance.organisation?.name ?? t("nda.unknownOrganisation")}</td>
                <td>
                  {acceptance.version}{" "}
                  <span className="muted">({acceptance.version === nda?.version ? t("nda.current") : t("nda.outdated")})</span>
                </td>
                <td>{format.dateTime(acceptance.acceptedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

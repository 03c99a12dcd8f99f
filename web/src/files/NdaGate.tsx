// A manufacturer before the order's files: the NDA to read and accept (exactly the version shown), or why the
// files are hidden. Once accepted, the order page shows the files.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { ErrorSummary, userErrorOf, type UserErrorLike } from "../ui/forms";
import { AcceptOrderNdaMutation } from "./documents";

export function NdaGate({
  orderId,
  nda,
  onAccepted,
}: {
  orderId: string;
  nda: { version: number; text: string };
  onAccepted: () => void;
}) {
  const { t } = useTranslation("files");
  const [state, accept] = useMutation(AcceptOrderNdaMutation);
  const [error, setError] = useState<UserErrorLike | null>(null);

  async function submit() {
    setError(null);
    const result = await accept({ orderId, version: nda.version });
    const payload = result.data?.acceptOrderNda;
    const refused = userErrorOf(payload);
    if (result.error || refused) {
      setError(refused ?? { message: result.error?.message ?? "", field: null });
      return;
    }
    onAccepted();
  }

  return (
    <div className="nda-gate">
      <h3>{t("nda.gateTitle")}</h3>
      <p>{t("nda.gateLead", { version: nda.version })}</p>
      <ErrorSummary form="accept-nda" error={error} />
      <blockquote className="nda-text" aria-label={t("nda.text")} tabIndex={0}>
        {nda.text}
      </blockquote>
      <p className="actions">
        <button type="button" className="primary" onClick={() => void submit()} disabled={state.fetching}>
          {t("nda.accept", { version: nda.version })}
        </button>
      </p>
    </div>
  );
}

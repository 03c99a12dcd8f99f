// A manufacturer before the order's files: the NDA to read and accept (exactly the version shown), or why the
// files are hidden. Once accepted, the order page shows the files.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { ErrorText, userErrorOf, type UserErrorLike } from "../ui/forms";
import { AcceptOrderNdaMutation } from "./documents";

export function NdaGate({
  orderId,
  nda,
  onAccepted,
  onStale,
}: {
  orderId: string;
  nda: { version: number; text: string };
  onAccepted: () => void;
  onStale: () => void;
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
      // The buyer changed the text meanwhile: read the order again, so the new version is the one shown.
      if (refused?.code === "NDA_VERSION_MISMATCH") onStale();
      return;
    }
    onAccepted();
  }

  return (
    <div className="nda-gate">
      <h3>{t("nda.gateTitle")}</h3>
      <p>{t("nda.gateLead", { version: nda.version })}</p>
      <blockquote className="nda-text" aria-label={t("nda.text")} tabIndex={0}>
        {nda.text}
      </blockquote>
      {error ? (
        <p className="field-message" role="alert">
          <ErrorText error={error} />
        </p>
      ) : null}
      <p className="actions">
        <button type="button" className="primary" onClick={() => void submit()} disabled={state.fetching}>
          {t("nda.accept", { version: nda.version })}
        </button>
      </p>
    </div>
  );
}

// The part's size for matching: from the order's largest analysed model, or as the buyer gave it; the buyer may
// correct it, or go back to the model's.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { useFormat } from "../i18n/format";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { NumberInput } from "../ui/NumberInput";
import { SetOrderPartEnvelopeMutation } from "./documents";

interface Envelope {
  xMm: number;
  yMm: number;
  zMm: number;
  source: "MODEL" | "BUYER";
  updatedAt: string;
}

const AXES = ["xMm", "yMm", "zMm"] as const;

export function EnvelopePanel({
  orderId,
  envelope,
  canChange,
  onChanged,
}: {
  orderId: string;
  envelope: Envelope | null;
  canChange: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation("files");
  const format = useFormat();
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<Record<(typeof AXES)[number], string>>({
    xMm: envelope ? String(envelope.xMm) : "",
    yMm: envelope ? String(envelope.yMm) : "",
    zMm: envelope ? String(envelope.zMm) : "",
  });
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [state, setEnvelope] = useMutation(SetOrderPartEnvelopeMutation);
  const form = "part-envelope";

  async function save(next: { xMm: number; yMm: number; zMm: number } | null) {
    setError(null);
    setNotice(null);
    const result = await setEnvelope({ orderId, envelope: next });
    const payload = result.data?.setOrderPartEnvelope;
    const refused = userErrorOf(payload);
    if (result.error || refused) {
      setError(refused ?? { message: result.error?.message ?? "", field: null });
      return;
    }
    setEditing(false);
    setNotice(t("envelope.saved"));
    onChanged();
  }

  return (
    <section className="panel" aria-labelledby="envelope-title">
      <h2 id="envelope-title">{t("envelope.title")}</h2>
      <p className="hint">{t("envelope.lead")}</p>
      {envelope ? (
        <p data-testid="part-envelope">
          <strong>
            {t("envelope.value", { x: format.number(envelope.xMm), y: format.number(envelope.yMm), z: format.number(envelope.zMm) })}
          </strong>{" "}
          <span className="muted">
            {t("envelope.source", { source: t(`source.${envelope.source}`), date: format.dateTime(envelope.updatedAt) })}
          </span>
        </p>
      ) : (
        <p className="muted">{t("envelope.none")}</p>
      )}
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      {canChange && !editing ? (
        <p className="actions">
          <button
            type="button"
            onClick={() => {
              setValues({
                xMm: envelope ? String(envelope.xMm) : "",
                yMm: envelope ? String(envelope.yMm) : "",
                zMm: envelope ? String(envelope.zMm) : "",
              });
              setNotice(null);
              setEditing(true);
            }}
          >
            {t("envelope.correct")}
          </button>
          {envelope?.source === "BUYER" ? (
            <button type="button" disabled={state.fetching} onClick={() => void save(null)}>
              {t("envelope.reset")}
            </button>
          ) : null}
        </p>
      ) : null}
      {canChange && editing ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            // Only the parsing is done here (a blank is not a number); the API judges the sizes, at the field.
            const blank = AXES.find((axis) => values[axis].trim() === "" || !Number.isFinite(Number(values[axis])));
            if (blank) {
              setError({ message: t("envelope.number"), field: blank });
              return;
            }
            void save({ xMm: Number(values.xMm), yMm: Number(values.yMm), zMm: Number(values.zMm) });
          }}
        >
          <ErrorSummary form={form} error={error} />
          <div className="envelope-fields">
            {AXES.map((axis) => (
              <Field key={axis} form={form} name={axis} label={t(`envelope.${axis[0]}` as "envelope.x")} error={error} aliases={[`envelope.${axis}`]}>
                {(props) => (
                  <NumberInput
                    {...props}
                    fractionDigits={2}
                    value={values[axis]}
                    onChange={(value) => setValues((current) => ({ ...current, [axis]: value }))}
                  />
                )}
              </Field>
            ))}
          </div>
          <p className="actions">
            <button type="submit" className="primary" disabled={state.fetching}>
              {t("envelope.save")}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t("files.cancelReplace")}
            </button>
          </p>
        </form>
      ) : null}
    </section>
  );
}

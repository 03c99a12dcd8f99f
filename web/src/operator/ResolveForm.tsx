// Settling a dispute in two steps: the operator names the release, the API previews the split (the same rule
// resolveDispute applies, refused the same way), and only then is the settlement confirmed.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient, useMutation } from "urql";
import { decimalOf } from "../bids/BidForm";
import { graphql, type ResultOf } from "../graphql";
import { useFormat, type MoneyValue } from "../i18n/format";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { NumberInput } from "../ui/NumberInput";
import { currencySign } from "../ui/numberText";
import { UserErrorFragment } from "../errors/userError";

export const PreviewQuery = graphql(
  `
    query SettlementPreview($id: ID!, $release: MoneyInput!) {
      settlementPreview(contractId: $id, release: $release) {
        __typename
        ... on SettlementPreview {
          escrowHeld {
            amount
            currency
          }
          release {
            amount
            currency
          }
          platformFee {
            amount
            currency
          }
          manufacturerNet {
            amount
            currency
          }
          buyerRefund {
            amount
            currency
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export const ResolveMutation = graphql(
  `
    mutation ResolveDisputeFromConsole($id: ID!, $release: MoneyInput!, $note: String!) {
      resolveDispute(contractId: $id, release: $release, note: $note) {
        __typename
        ... on ContractSuccess {
          contract {
            id
            status
            escrowBalance {
              amount
              currency
            }
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

type Preview = Extract<ResultOf<typeof PreviewQuery>["settlementPreview"], { __typename: "SettlementPreview" }>;

export function ResolveForm({
  contractId,
  escrow,
  onResolved,
}: {
  contractId: string;
  escrow: MoneyValue;
  onResolved: () => void;
}) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const client = useClient();
  const [release, setRelease] = useState("");
  const [note, setNote] = useState("");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [busy, setBusy] = useState(false);
  const [, resolve] = useMutation(ResolveMutation);
  const money = { amount: decimalOf(release), currency: escrow.currency };

  async function onPreview(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const response = await client
      .query(PreviewQuery, { id: contractId, release: money }, { requestPolicy: "network-only" })
      .toPromise();
    setBusy(false);
    const answer = response.data?.settlementPreview;
    const refusal = userErrorOf(answer);
    setError(refusal ?? (response.error ? { message: response.error.message } : null));
    setPreview(answer && answer.__typename === "SettlementPreview" ? answer : null);
  }

  async function onConfirm() {
    setBusy(true);
    const response = await resolve({ id: contractId, release: money, note });
    setBusy(false);
    const refusal = userErrorOf(response.data?.resolveDispute);
    setError(refusal ?? (response.error ? { message: response.error.message } : null));
    if (!refusal && !response.error) {
      onResolved();
    }
  }

  return (
    <form className="panel" onSubmit={onPreview} noValidate aria-labelledby="resolve-title">
      <h2 id="resolve-title">{t("disputes.resolveTitle")}</h2>
      <p className="muted">{t("disputes.resolveLead")}</p>
      <ErrorSummary form="resolve" error={error} />
      <Field
        form="resolve"
        name="release"
        aliases={["release.amount", "release.currency"]}
        label={t("disputes.release")}
        hint={t("disputes.releaseHint", { held: format.money(escrow) })}
        error={error}
      >
        {(props) => (
          <NumberInput
            {...props}
            fractionDigits={2}
            unit={currencySign(escrow.currency, format.language)}
            value={release}
            readOnly={preview !== null}
            onChange={setRelease}
          />
        )}
      </Field>
      <Field form="resolve" name="note" label={t("disputes.resolveNote")} error={error} optional>
        {(props) => <textarea {...props} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      {preview ? (
        <section aria-labelledby="split-title" className="split">
          <h3 id="split-title">{t("disputes.split")}</h3>
          <dl className="facts">
            <dt>{t("disputes.escrow")}</dt>
            <dd>{format.money(preview.escrowHeld)}</dd>
            <dt>{t("disputes.gross")}</dt>
            <dd data-testid="split-gross">{format.money(preview.release)}</dd>
            <dt>{t("disputes.fee")}</dt>
            <dd data-testid="split-fee">{format.money(preview.platformFee)}</dd>
            <dt>{t("disputes.net")}</dt>
            <dd data-testid="split-net">{format.money(preview.manufacturerNet)}</dd>
            <dt>{t("disputes.refund")}</dt>
            <dd data-testid="split-refund">{format.money(preview.buyerRefund)}</dd>
          </dl>
          <p className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void onConfirm()}>
              {t("disputes.confirm")}
            </button>
            <button type="button" className="link-button" onClick={() => setPreview(null)}>
              {t("disputes.change")}
            </button>
          </p>
        </section>
      ) : (
        <button type="submit" className="primary" disabled={busy}>
          {t("disputes.preview")}
        </button>
      )}
    </form>
  );
}

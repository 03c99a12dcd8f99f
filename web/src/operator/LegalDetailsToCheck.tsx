// Legal details nobody has checked since they were stated or changed, latest first: the operator compares them with
// the state register (ЕГРЮЛ/ЕГРИП) and the bank's directory, and marks them checked. A change by the organisation
// brings them back here (the API decides).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql } from "../graphql";
import { UserErrorFragment } from "../errors/userError";
import { useLabels } from "../i18n/labels";
import { ErrorText, userErrorOf, type UserErrorLike } from "../ui/forms";
import { Empty, LoadError, Loading } from "../ui/States";

const LegalDetailsQuery = graphql(`
  query LegalDetailsToCheck {
    legalDetailsToCheck(first: 50) {
      edges {
        node {
          inn
          kpp
          ogrn
          entityKind
          legalAddress
          signatoryName
          signatoryPosition
          signatoryBasis
          bankName
          bik
          settlementAccount
          organisation {
            id
            name
          }
        }
      }
    }
  }
`);

const CheckLegalDetailsMutation = graphql(
  `
  mutation CheckLegalDetails($id: ID!) {
    checkLegalDetails(id: $id) {
      __typename
      ...UserErrorFields
    }
  }
`,
  [UserErrorFragment],
);

export function LegalDetailsToCheck({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation("operator");
  const { label } = useLabels();
  const [result, refetch] = useQuery({ query: LegalDetailsQuery, requestPolicy: "cache-and-network" });
  const [state, check] = useMutation(CheckLegalDetailsMutation);
  const [error, setError] = useState<UserErrorLike | null>(null);
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const rows = (result.data?.legalDetailsToCheck?.edges ?? []).map((edge) => edge.node);

  async function onCheck(id: string) {
    const response = await check({ id });
    const refusal = userErrorOf(response.data?.checkLegalDetails);
    setError(refusal ?? (response.error ? { message: response.error.message } : null));
    if (!refusal && !response.error) {
      refetch({ requestPolicy: "network-only" });
      onChanged();
    }
  }

  return (
    <section aria-labelledby="legal-check-title" data-testid="legal-details-to-check">
      <h2 id="legal-check-title">{t("legal.title")}</h2>
      <p className="muted">{t("legal.lead")}</p>
      {error ? (
        <p className="field-message" role="alert">
          <ErrorText error={error} />
        </p>
      ) : null}
      {rows.length === 0 ? (
        <Empty>{t("legal.none")}</Empty>
      ) : (
        <ul className="list">
          {rows.map((row) => (
            <li key={row.organisation.id}>
              <Link to={`/company/${encodeURIComponent(row.organisation.id)}`}>{row.organisation.name}</Link> ·{" "}
              {label("EntityKind", row.entityKind)} ·{" "}
              {t("legal.ids", { inn: row.inn, kpp: row.kpp ?? "—", ogrn: row.ogrn })}
              <br />
              <span className="muted">
                {row.legalAddress} · {row.signatoryPosition} {row.signatoryName} (
                {label("SignatoryBasis", row.signatoryBasis)}) ·{" "}
                {t("legal.bank", { bank: row.bankName, bik: row.bik, account: row.settlementAccount })}
              </span>{" "}
              <button
                type="button"
                className="primary"
                disabled={state.fetching}
                aria-label={t("legal.checkLabel", { name: row.organisation.name })}
                onClick={() => void onCheck(row.organisation.id)}
              >
                {t("legal.check")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

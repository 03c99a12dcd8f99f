// Certificates nobody has checked yet (new, or renewed since), oldest first: the operator compares each with
// the issuer's register and marks it checked. The same button marks a certificate in an organisation's review.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { ErrorText, userErrorOf, type UserErrorLike } from "../ui/forms";
import { LoadMore } from "../ui/LoadMore";
import { Empty, LoadError, Loading } from "../ui/States";
import { UserErrorFragment } from "../errors/userError";

import { LegalId, LegalIdFragment } from "../ui/LegalId";
const CertificatesQuery = graphql(
  `
    query CertificatesToCheck($first: Int!, $after: String) {
      certificatesToCheck(first: $first, after: $after) {
        edges {
          node {
            certification {
              id
              standard
              certificateNumber
              issuedBy
              validUntil
              valid
              verified
            }
            organisation {
              id
              name
              ...LegalId
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [LegalIdFragment],
);

const VerifyCertificationMutation = graphql(
  `
    mutation VerifyCertification($id: ID!, $verified: Boolean!) {
      verifyCertification(id: $id, verified: $verified) {
        __typename
        ... on CertificationSuccess {
          certification {
            id
            verified
            verifiedAt
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function CertificateCheckButton({
  id,
  verified,
  label,
  onChanged,
}: {
  id: string;
  verified: boolean;
  label: string;
  onChanged: () => void;
}) {
  const { t } = useTranslation("operator");
  const [state, verify] = useMutation(VerifyCertificationMutation);
  const [error, setError] = useState<UserErrorLike | null>(null);
  async function onClick() {
    const response = await verify({ id, verified: !verified });
    const refusal = userErrorOf(response.data?.verifyCertification);
    setError(refusal ?? (response.error ? { message: response.error.message } : null));
    if (!refusal && !response.error) onChanged();
  }
  return (
    <>
      <button
        type="button"
        className={verified ? "link-button" : "primary"}
        disabled={state.fetching}
        aria-label={`${verified ? t("certs.unverify") : t("certs.verify")}: ${label}`}
        onClick={() => void onClick()}
      >
        {verified ? t("certs.unverify") : t("certs.verify")}
      </button>
      {error ? (
        <span className="field-message" role="alert">
          <ErrorText error={error} />
        </span>
      ) : null}
    </>
  );
}

export function CertificatesToCheck({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { t } = useTranslation("operator");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <section aria-labelledby="certs-title">
      <h2 id="certs-title">{t("certs.title")}</h2>
      <p className="muted">{t("certs.lead")}</p>
      {cursors.map((after, index) => (
        <CertificatesPage
          key={`${version}:${after ?? "first"}`}
          after={after}
          first={index === 0}
          isLast={index === cursors.length - 1}
          onChanged={() => {
            setCursors([null]);
            onChanged();
          }}
          onLoadMore={(cursor) => setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]))}
        />
      ))}
    </section>
  );
}

function CertificatesPage({
  after,
  first,
  isLast,
  onChanged,
  onLoadMore,
}: {
  after: string | null;
  first: boolean;
  isLast: boolean;
  onChanged: () => void;
  onLoadMore: (cursor: string) => void;
}) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const { label } = useLabels();
  const [result, reexecute] = useQuery({
    query: CertificatesQuery,
    variables: { first: 20, after },
    requestPolicy: "network-only",
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const page = result.data?.certificatesToCheck;
  if (!page) return <LoadError />;
  if (first && page.edges.length === 0) return <Empty>{t("certs.empty")}</Empty>;
  return (
    <>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("certs.organisation")}</th>
            <th scope="col">{t("certs.certificate")}</th>
            <th scope="col">{t("certs.validity")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("certs.action")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {page.edges.map(({ node }) => {
            const standard = label("CertificationStandard", node.certification.standard);
            return (
              <tr key={node.certification.id}>
                <td>
                  <Link to={`?org=${encodeURIComponent(node.organisation.id)}`}>{node.organisation.name}</Link>
                  <br />
                  <span className="muted">
                    <LegalId data={node.organisation} />
                  </span>
                </td>
                <td>
                  {standard} № {node.certification.certificateNumber}
                  {node.certification.issuedBy ? (
                    <>
                      <br />
                      <span className="muted">{node.certification.issuedBy}</span>
                    </>
                  ) : null}
                </td>
                <td>
                  {node.certification.valid
                    ? t("queue.validUntil", { date: format.date(node.certification.validUntil) })
                    : t("queue.expired")}
                </td>
                <td>
                  <CertificateCheckButton
                    id={node.certification.id}
                    verified={node.certification.verified}
                    label={`${standard}, ${node.organisation.name}`}
                    onChanged={onChanged}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <LoadMore onLoadMore={() => onLoadMore(page.pageInfo.endCursor!)} />
      ) : null}
    </>
  );
}

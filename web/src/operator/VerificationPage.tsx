// The verification queue: unverified organisations, newest first; an operator opens one, checks its legal id,
// region, members and certificates, and marks it verified (or takes the mark back).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, userErrorOf, type UserErrorLike } from "../ui/forms";
import { LoadMore } from "../ui/LoadMore";
import { Empty, LoadError, Loading } from "../ui/States";
import { CertificateCheckButton, CertificatesToCheck } from "./CertificatesToCheck";
import { LegalDetailsToCheck } from "./LegalDetailsToCheck";
import { UserErrorFragment } from "../errors/userError";
import { LegalId, LegalIdFragment } from "../ui/LegalId";

const PAGE_SIZE = 20;

const QueueQuery = graphql(
  `
    query VerificationQueue($first: Int!, $after: String, $verified: Boolean!, $invalidLegalId: Boolean!) {
      verificationQueue(first: $first, after: $after, verified: $verified, invalidLegalId: $invalidLegalId) {
        edges {
          node {
            id
            name
            ...LegalId
            region
            kind
            createdAt
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

const OrganisationReviewQuery = graphql(
  `
    query OrganisationReview($id: ID!) {
      organisation(id: $id) {
        id
        name
        ...LegalId
        region
        kind
        membership
        verified
        verifiedAt
        createdAt
        members {
          role
          user {
            id
            fullName
            email
          }
        }
        certifications {
          id
          standard
          certificateNumber
          issuedBy
          validUntil
          valid
          verified
        }
      }
    }
  `,
  [LegalIdFragment],
);

const VerifyMutation = graphql(
  `
    mutation VerifyOrganisationFromQueue($id: ID!, $verified: Boolean!) {
      verifyOrganisation(id: $id, verified: $verified) {
        __typename
        ... on OrganisationSuccess {
          organisation {
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

export function VerificationPage() {
  const { t } = useTranslation("operator");
  const [params, setParams] = useSearchParams();
  const selected = params.get("org");
  // Filters live in the URL: ?verified=1 the checked organisations, ?invalidId=1 only those whose legal id fails
  // today's check (signed up before it).
  const verified = params.get("verified") === "1";
  const invalidLegalId = params.get("invalidId") === "1";
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  function setFilter(name: "verified" | "invalidId", on: boolean) {
    const next = new URLSearchParams(params);
    if (on) next.set(name, "1");
    else next.delete(name);
    next.delete("org");
    setCursors([null]);
    setParams(next);
  }
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section>
      <h1>{t("queue.title")}</h1>
      <p className="lead">{t("queue.lead")}</p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <fieldset className="toolbar queue-filters">
        <legend className="visually-hidden">{t("queue.filters")}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={verified} onChange={(e) => setFilter("verified", e.target.checked)} />
          {t("queue.showVerified")}
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={invalidLegalId} onChange={(e) => setFilter("invalidId", e.target.checked)} />
          {t("queue.onlyInvalidLegalId")}
        </label>
      </fieldset>
      <div className="split-view">
        <div>
          {cursors.map((after, index) => (
            <QueuePage
              key={`${version}:${verified}:${invalidLegalId}:${after ?? "first"}`}
              verified={verified}
              invalidLegalId={invalidLegalId}
              after={after}
              first={index === 0}
              isLast={index === cursors.length - 1}
              selected={selected}
              onLoadMore={(cursor) => setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]))}
            />
          ))}
        </div>
        {selected ? (
          <OrganisationReview
            key={`${selected}:${version}`}
            id={selected}
            onClose={() => {
              const next = new URLSearchParams(params);
              next.delete("org");
              setParams(next);
            }}
            onCertificateChanged={() => setVersion((v) => v + 1)}
            onChanged={(message) => {
              setNotice(message);
              setCursors([null]);
              setVersion((v) => v + 1);
            }}
          />
        ) : null}
      </div>
      <CertificatesToCheck version={version} onChanged={() => setVersion((v) => v + 1)} />
      <LegalDetailsToCheck onChanged={() => setVersion((v) => v + 1)} />
    </section>
  );
}

function QueuePage({
  verified,
  invalidLegalId,
  after,
  first,
  isLast,
  selected,
  onLoadMore,
}: {
  verified: boolean;
  invalidLegalId: boolean;
  after: string | null;
  first: boolean;
  isLast: boolean;
  selected: string | null;
  onLoadMore: (cursor: string) => void;
}) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const { label, region } = useLabels();
  const [params] = useSearchParams();
  const withOrg = (id: string) => {
    const next = new URLSearchParams(params);
    next.set("org", id);
    return next.toString();
  };
  const [result, reexecute] = useQuery({
    query: QueueQuery,
    variables: { first: PAGE_SIZE, after, verified, invalidLegalId },
    requestPolicy: "network-only",
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const page = result.data?.verificationQueue;
  if (!page) return <LoadError />;
  if (first && page.edges.length === 0) {
    const empty = invalidLegalId ? "queue.emptyInvalid" : verified ? "queue.emptyVerified" : "queue.empty";
    return <Empty>{t(empty)}</Empty>;
  }
  return (
    <>
      <ol className="cards" aria-label={t("queue.title")}>
        {page.edges.map(({ node }) => (
          <li key={node.id}>
            <article className={node.id === selected ? "card card-selected" : "card"} aria-labelledby={`q-${node.id}`}>
              <h2 className="card-title" id={`q-${node.id}`}>
                {node.name}
              </h2>
              <p className="muted">
                {label("OrganisationKind", node.kind)} · {region(node.region)} · <LegalId data={node} />
              </p>
              <p className="muted">{t("queue.registered", { date: format.dateTime(node.createdAt) })}</p>
              <Link to={`?${withOrg(node.id)}`} aria-label={`${t("queue.open")}: ${node.name}`}>
                {t("queue.open")}
              </Link>
            </article>
          </li>
        ))}
      </ol>
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <LoadMore onLoadMore={() => onLoadMore(page.pageInfo.endCursor!)} />
      ) : null}
    </>
  );
}

function OrganisationReview({
  id,
  onClose,
  onChanged,
  onCertificateChanged,
}: {
  id: string;
  onClose: () => void;
  onChanged: (message: string) => void;
  onCertificateChanged: () => void;
}) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const { label, region } = useLabels();
  const [result, reexecute] = useQuery({ query: OrganisationReviewQuery, variables: { id } });
  const [state, verify] = useMutation(VerifyMutation);
  const [error, setError] = useState<UserErrorLike | null>(null);
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const organisation = result.data?.organisation;
  if (!organisation) return <Empty>{t("common:state.notFound")}</Empty>;

  async function setVerified(verified: boolean) {
    const response = await verify({ id, verified });
    const refusal = userErrorOf(response.data?.verifyOrganisation);
    setError(refusal ?? (response.error ? { message: response.error.message } : null));
    if (!refusal && !response.error && organisation) {
      onChanged(t(verified ? "queue.verified" : "queue.unverified", { name: organisation.name }));
    }
  }

  return (
    <aside className="panel review" aria-labelledby="review-title">
      <h2 id="review-title">{organisation.name}</h2>
      <p className={organisation.verified ? "badge badge-ok" : "badge"}>
        {organisation.verified ? t("queue.status.yes") : t("queue.status.no")}
      </p>
      <ErrorSummary form="verify" error={error} />
      <dl className="facts">
        <dt>{t("queue.legalId")}</dt>
        <dd>
          <LegalId data={organisation} />
        </dd>
        <dt>{t("queue.region")}</dt>
        <dd>{region(organisation.region)}</dd>
        <dt>{t("queue.kind")}</dt>
        <dd>{label("OrganisationKind", organisation.kind)}</dd>
        <dt>{t("queue.membership")}</dt>
        <dd>{label("MembershipKind", organisation.membership)}</dd>
      </dl>
      <h3>{t("queue.members")}</h3>
      {organisation.members && organisation.members.length > 0 ? (
        <ul className="list">
          {organisation.members.map((member) => (
            <li key={member.user.id}>
              {member.user.fullName} · <a href={`mailto:${member.user.email}`}>{member.user.email}</a> ·{" "}
              {label("Role", member.role)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("queue.noMembers")}</p>
      )}
      <h3>{t("queue.certificates")}</h3>
      {organisation.certifications.length > 0 ? (
        <ul className="list">
          {organisation.certifications.map((certificate) => (
            <li key={certificate.id}>
              {label("CertificationStandard", certificate.standard)} № {certificate.certificateNumber}
              {certificate.issuedBy ? `, ${certificate.issuedBy}` : ""} —{" "}
              {certificate.valid
                ? t("queue.validUntil", { date: format.date(certificate.validUntil) })
                : t("queue.expired")}{" "}
              <span className={certificate.verified ? "badge badge-ok" : "badge"}>
                {certificate.verified ? t("certs.checked") : t("certs.unchecked")}
              </span>{" "}
              <CertificateCheckButton
                id={certificate.id}
                verified={certificate.verified}
                label={`${label("CertificationStandard", certificate.standard)}, ${organisation.name}`}
                onChanged={() => onCertificateChanged()}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("queue.noCertificates")}</p>
      )}
      <p className="actions">
        {organisation.verified ? (
          <button type="button" disabled={state.fetching} onClick={() => void setVerified(false)}>
            {t("queue.unverify")}
          </button>
        ) : (
          <button type="button" className="primary" disabled={state.fetching} onClick={() => void setVerified(true)}>
            {t("queue.verify")}
          </button>
        )}
        <button type="button" className="link-button" onClick={onClose}>
          {t("queue.close")}
        </button>
      </p>
    </aside>
  );
}

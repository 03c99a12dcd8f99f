// Legal details nobody has checked since they were stated or changed, latest first: the operator compares them with
// the state register (ЕГРЮЛ/ЕГРИП) and the bank's directory, and marks them checked. A change by the organisation
// brings them back here (the API decides). Every organisation waiting can be reached: the list pages through the
// connection (PagedCards); a card checked stays where it is, marked, until the list is next loaded.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation } from "urql";
import { graphql, type ResultOf } from "../graphql";
import { UserErrorFragment } from "../errors/userError";
import { useFormat } from "../i18n/format";
import { ErrorText, userErrorOf, type UserErrorLike } from "../ui/forms";
import { PagedCards } from "../ui/PagedCards";
import { LegalDetailsFacts, LegalDetailsFactsFragment, readLegalDetails } from "../identity/LegalDetailsFacts";

const LegalDetailsQuery = graphql(
  `
  query LegalDetailsToCheck($first: Int!, $after: String) {
    legalDetailsToCheck(first: $first, after: $after) {
      edges {
        node {
          ...LegalDetailsFacts
          organisation {
            id
            name
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
  [LegalDetailsFactsFragment],
);

type Details = NonNullable<ResultOf<typeof LegalDetailsQuery>["legalDetailsToCheck"]>["edges"][number]["node"];

const CheckLegalDetailsMutation = graphql(
  `
  mutation CheckLegalDetails($id: ID!) {
    checkLegalDetails(id: $id) {
      __typename
      ... on LegalDetailsSuccess {
        legalDetails {
          checkedAt
        }
      }
      ...UserErrorFields
    }
  }
`,
  [UserErrorFragment],
);

export function LegalDetailsToCheck({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation("operator");
  return (
    <section aria-labelledby="legal-check-title" data-testid="legal-details-to-check">
      <h2 id="legal-check-title">{t("legal.title")}</h2>
      <p className="muted">{t("legal.lead")}</p>
      <PagedCards
        query={LegalDetailsQuery}
        connection={(data) => data.legalDetailsToCheck}
        label={t("legal.title")}
        empty={t("legal.none")}
        keyOf={(details) => details.organisation.id}
        card={(details) => <LegalDetailsCard details={details} onChanged={onChanged} />}
      />
    </section>
  );
}

function LegalDetailsCard({ details, onChanged }: { details: Details; onChanged: () => void }) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const [state, check] = useMutation(CheckLegalDetailsMutation);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  const organisation = details.organisation;
  const facts = readLegalDetails(details);

  async function onCheck() {
    const response = await check({ id: organisation.id });
    const payload = response.data?.checkLegalDetails;
    const refusal = userErrorOf(payload);
    setError(refusal ?? (response.error ? { message: response.error.message } : null));
    if (payload?.__typename === "LegalDetailsSuccess") {
      setCheckedAt(payload.legalDetails.checkedAt ?? null);
      onChanged();
    }
  }

  return (
    <article className="card legal-card" aria-labelledby={`legal-${organisation.id}`}>
      <h3 id={`legal-${organisation.id}`} className="card-title">
        <Link to={`/company/${encodeURIComponent(organisation.id)}`}>{organisation.name}</Link>
      </h3>
      <LegalDetailsFacts details={facts} />
      <p className="muted">{t("legal.stated", { date: format.dateTime(facts.updatedAt) })}</p>
      {error ? (
        <p className="field-message" role="alert">
          <ErrorText error={error} />
        </p>
      ) : null}
      {checkedAt ? (
        <p role="status">
          <span className="badge badge-ok">{t("legal.checked", { date: format.dateTime(checkedAt) })}</span>
        </p>
      ) : (
        <p className="actions">
          <button
            type="button"
            className="primary"
            disabled={state.fetching}
            aria-label={t("legal.checkLabel", { name: organisation.name })}
            onClick={() => void onCheck()}
          >
            {t("legal.check")}
          </button>
        </p>
      )}
    </article>
  );
}

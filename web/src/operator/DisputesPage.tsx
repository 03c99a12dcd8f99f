// Disputed contracts, the longest waiting first: each opens onto its story and the settlement form.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { graphql, type ResultOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { Money } from "../ui/Money";
import { PagedCards } from "../ui/PagedCards";
import { ContractParties, ContractPartiesFragment, partiesTitle } from "./ContractLabel";

const DisputedQuery = graphql(
  `
  query DisputedContracts($first: Int!, $after: String) {
    disputedContracts(first: $first, after: $after) {
      edges {
        node {
          id
          status
          updatedAt
          total {
            amount
            currency
          }
          escrowBalance {
            amount
            currency
          }
          ...OperatorContractParties
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [ContractPartiesFragment],
);

export function DisputesPage() {
  const { t } = useTranslation("operator");
  return (
    <section>
      <h1>{t("disputes.title")}</h1>
      <p className="lead">{t("disputes.lead")}</p>
      <PagedCards
        query={DisputedQuery}
        connection={(data) => data.disputedContracts}
        label={t("disputes.title")}
        empty={t("disputes.empty")}
        card={(contract) => <DisputeCard contract={contract} />}
      />
    </section>
  );
}

type Disputed = NonNullable<ResultOf<typeof DisputedQuery>["disputedContracts"]>["edges"][number]["node"];

function DisputeCard({ contract }: { contract: Disputed }) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  return (
    <article className="card" aria-labelledby={`d-${contract.id}`}>
      <h2 className="card-title" id={`d-${contract.id}`}>
        <Link to={`/operator/disputes/${encodeURIComponent(contract.id)}`}>{partiesTitle(contract)}</Link>
      </h2>
      <p className="muted">
        <ContractParties data={contract} /> ·{" "}
        {t("disputes.since", { date: format.dateTime(contract.updatedAt) })}
      </p>
      <p>
        {t("disputes.total")}: <Money value={contract.total} /> · {t("disputes.escrow")}:{" "}
        <Money value={contract.escrowBalance} />
      </p>
    </article>
  );
}

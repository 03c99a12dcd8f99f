// Open orders the signed-in manufacturer can make, best fit first, each fit explained factor by factor.
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { FactorBars, FactorBarsFragment, scoreOutOf100 } from "../bids/FactorBars";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { organisationsOf, useViewer } from "../identity/AuthProvider";
import { Empty, LoadError, Loading } from "../ui/States";
import { BoardTabs } from "./BoardPage";
import { OrderCard, OrderCardFragment } from "./OrderCard";

const RecommendedQuery = graphql(
  `
    query RecommendedOrders($organisationId: ID!) {
      recommendedOrders(first: 20, organisationId: $organisationId) {
        score
        explanations {
          ...FactorBars
        }
        order {
          id
          ...OrderCard
        }
      }
    }
  `,
  [OrderCardFragment, FactorBarsFragment],
);

export function RecommendedPage() {
  const { t } = useTranslation("board");
  const { viewer } = useViewer();
  const maker = organisationsOf(viewer).manufacturers[0];
  return (
    <section>
      <h1>{t("recommended.title")}</h1>
      <p className="lead">{t("recommended.lead")}</p>
      <BoardTabs />
      {maker ? <Matches organisationId={maker.id} /> : <Empty>{t("recommended.noManufacturer")}</Empty>}
    </section>
  );
}

function Matches({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation("board");
  const format = useFormat();
  const [result, refetch] = useQuery({ query: RecommendedQuery, variables: { organisationId } });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const matches = result.data?.recommendedOrders ?? [];
  if (!matches.length) return <Empty>{t("recommended.none")}</Empty>;
  return (
    <ol className="cards" aria-label={t("recommended.title")}>
      {matches.map((match) => (
        <li key={match.order.id}>
          <OrderCard data={match.order}>
            <details className="why">
              <summary>
                {t("recommended.fit", { score: format.number(scoreOutOf100(match.score)) })} · {t("recommended.why")}
              </summary>
              <FactorBars explanations={match.explanations} label={t("recommended.why")} />
            </details>
          </OrderCard>
        </li>
      ))}
    </ol>
  );
}

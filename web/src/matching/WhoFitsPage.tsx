// /orders/:id/suppliers: who fits the buyer's order — recommended manufacturers with their scores explained
// factor by factor, the excluded ones with the reason, and a supplier search; each may be invited.
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { SupplierCard, SupplierCardFragment } from "../directory/SupplierCard";
import { SupplierFilters, SupplierResults, SupplierSearchForm, useSupplierSearch } from "../directory/SupplierSearch";
import { graphql, readFragment } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { Empty, LoadError, Loading } from "../ui/States";
import { ExclusionReason, ExclusionReasonFragment } from "./Exclusion";
import { InviteButton } from "./InviteButton";
import { ScoreBreakdown, ScoreExplanationFragment } from "./ScoreBreakdown";

const SHOWN = 20;

const WhoFitsQuery = graphql(
  `
    query WhoFits($id: ID!, $first: Int!) {
      order(id: $id) {
        id
        title
        status
        process
        material
        quantity
        visibility
        viewerActions
        invitedManufacturers {
          id
        }
        recommendedManufacturers(first: $first) {
          fittingCount
          excludedCount
          machineHours
          machineHoursEstimate {
            hours
            quantity
            removedCm3
            removalRateCm3PerMin
            handlingMinutes
          }
          matches {
            score
            explanations {
              ...ScoreExplanation
            }
            manufacturer {
              id
              ...SupplierCard
            }
          }
          excluded {
            filter
            ...ExclusionReason
            manufacturer {
              id
              ...SupplierCard
            }
          }
        }
      }
    }
  `,
  [SupplierCardFragment, ScoreExplanationFragment, ExclusionReasonFragment],
);

export function WhoFitsPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation("matching");
  const format = useFormat();
  const { label } = useLabels();
  const search = useSupplierSearch();
  const [result, refetch] = useQuery({
    query: WhoFitsQuery,
    variables: { id, first: SHOWN },
    requestPolicy: "cache-and-network",
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const order = result.data?.order;
  if (!order) return <Empty>{t("common:state.notFound")}</Empty>;
  const recommendations = order.recommendedManufacturers;
  const estimate = recommendations?.machineHoursEstimate;
  const invited = new Set((order.invitedManufacturers ?? []).map((m) => m.id));
  const orderLink = order.status === "DRAFT" ? `/orders/${order.id}/edit` : `/orders/${order.id}`;
  // Invitations are offered when the API says the order takes them; who is invited is shown either way.
  const canInvite = order.viewerActions.includes("INVITE");
  const invite = (manufacturer: { id: string; name: string }) => (
    <InviteButton
      orderId={order.id}
      manufacturer={manufacturer}
      invited={invited.has(manufacturer.id)}
      canInvite={canInvite}
    />
  );

  return (
    <section className="who-fits">
      <header className="page-header">
        <h1>{t("page.title", { title: order.title })}</h1>
        <p className="muted">
          {t("page.summary", {
            process: label("Process", order.process),
            material: order.material,
            quantity: format.number(order.quantity),
          })}
        </p>
        <p className="actions">
          <Link to={orderLink}>{t("page.backToOrder")}</Link>
          <Link to="/my/orders">{t("page.myOrders")}</Link>
        </p>
      </header>
      {!recommendations ? (
        <Empty>{t("page.notBuyer")}</Empty>
      ) : (
        <>
          <p className="lead">{t("page.lead")}</p>
          <p className="muted" data-testid="machine-hours">
            {recommendations.machineHours == null
              ? t("page.hoursUnknown")
              : estimate
                ? (
                    <>
                      {t("page.hoursEstimated", { hours: format.number(recommendations.machineHours) })}{" "}
                      {t("page.hoursFormula", {
                        quantity: format.number(estimate.quantity),
                        removed: format.number(estimate.removedCm3),
                        rate: format.number(estimate.removalRateCm3PerMin),
                        handling: format.number(estimate.handlingMinutes),
                        hours: format.number(estimate.hours),
                      })}
                    </>
                  )
                : t("page.hoursGiven", { hours: format.number(recommendations.machineHours) })}
          </p>
          {!canInvite && order.visibility === "PUBLIC" ? (
            <p className="notice">{t("page.publicOrder")}</p>
          ) : null}
          <section aria-labelledby="recommended-title">
            <h2 id="recommended-title">{t("recommended.title")}</h2>
            <p className="result-count">{t("recommended.count", { count: recommendations.fittingCount })}</p>
            {recommendations.matches.length === 0 ? (
              <Empty>{t("recommended.none")}</Empty>
            ) : (
              <ol className="cards matches" aria-labelledby="recommended-title">
                {recommendations.matches.map((match) => {
                  const manufacturer = readFragment(SupplierCardFragment, match.manufacturer);
                  return (
                    <li key={manufacturer.id}>
                      <SupplierCard data={match.manufacturer}>
                        <ScoreBreakdown name={manufacturer.name} score={match.score} explanations={match.explanations} />
                        {invite(manufacturer)}
                      </SupplierCard>
                    </li>
                  );
                })}
              </ol>
            )}
          </section>
          <section aria-labelledby="excluded-title">
            <h2 id="excluded-title">{t("excluded.title")}</h2>
            <p className="hint">{t("excluded.lead")}</p>
            <p className="result-count">{t("excluded.count", { count: recommendations.excludedCount })}</p>
            {recommendations.excluded.length === 0 ? (
              <Empty>{t("excluded.none")}</Empty>
            ) : (
              <ul className="cards excluded" aria-labelledby="excluded-title">
                {recommendations.excluded.map((exclusion) => {
                  const manufacturer = readFragment(SupplierCardFragment, exclusion.manufacturer);
                  return (
                    <li key={manufacturer.id}>
                      <SupplierCard data={exclusion.manufacturer}>
                        <p className="exclusion">
                          <strong>{t("excluded.because", { filter: label("MatchFilter", exclusion.filter) })}</strong>
                          <br />
                          <span className="muted" data-testid="exclusion-reason">
                            <ExclusionReason data={exclusion} />
                          </span>
                        </p>
                        {invite(manufacturer)}
                      </SupplierCard>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        </>
      )}
      <section aria-labelledby="search-title" className="who-fits-search">
        <h2 id="search-title">{t("search.title")}</h2>
        <p className="hint">{canInvite ? t("search.lead") : t("search.leadNoInvite")}</p>
        <SupplierSearchForm key={search.search.query} state={search} idPrefix="who-fits" />
        <div className="with-sidebar">
          <SupplierFilters state={search} idPrefix="who-fits" Heading="h3" />
          <div>
            <SupplierResults state={search} actions={recommendations && (canInvite || invited.size > 0) ? invite : undefined} />
          </div>
        </div>
      </section>
    </section>
  );
}

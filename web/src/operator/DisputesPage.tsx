// Disputed contracts, the longest waiting first: each opens onto its story and the settlement form.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { LoadMore } from "../ui/LoadMore";
import { Empty, LoadError, Loading } from "../ui/States";

const DisputedQuery = graphql(`
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
          order {
            id
            title
          }
          buyer {
            id
            name
          }
          manufacturer {
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
`);

export function DisputesPage() {
  const { t } = useTranslation("operator");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <section>
      <h1>{t("disputes.title")}</h1>
      <p className="lead">{t("disputes.lead")}</p>
      {cursors.map((after, index) => (
        <DisputesPageOf
          key={after ?? "first"}
          after={after}
          first={index === 0}
          isLast={index === cursors.length - 1}
          onLoadMore={(cursor) => setCursors((current) => (current.includes(cursor) ? current : [...current, cursor]))}
        />
      ))}
    </section>
  );
}

function DisputesPageOf({
  after,
  first,
  isLast,
  onLoadMore,
}: {
  after: string | null;
  first: boolean;
  isLast: boolean;
  onLoadMore: (cursor: string) => void;
}) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const [result, reexecute] = useQuery({
    query: DisputedQuery,
    variables: { first: 20, after },
    requestPolicy: "network-only",
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const page = result.data?.disputedContracts;
  if (!page) return <LoadError />;
  if (first && page.edges.length === 0) return <Empty>{t("disputes.empty")}</Empty>;
  return (
    <>
      <ol className="cards" aria-label={t("disputes.title")}>
        {page.edges.map(({ node }) => (
          <li key={node.id}>
            <article className="card" aria-labelledby={`d-${node.id}`}>
              <h2 className="card-title" id={`d-${node.id}`}>
                <Link to={`/operator/disputes/${encodeURIComponent(node.id)}`}>{node.order?.title ?? node.id}</Link>
              </h2>
              <p className="muted">
                {node.buyer.name} → {node.manufacturer.name} · {t("disputes.since", { date: format.dateTime(node.updatedAt) })}
              </p>
              <p>
                {t("disputes.total")}: {format.money(node.total)} · {t("disputes.escrow")}: {format.money(node.escrowBalance)}
              </p>
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

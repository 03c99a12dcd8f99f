// "My bids": every bid of the manufacturer's organisations, newest first, with its status, the price the API
// worked out, and won/lost with the feedback; infinite scroll over the connection.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { LoadMore } from "../ui/LoadMore";
import { Empty, LoadError, Loading } from "../ui/States";
import { BidBreakdown, BidBreakdownFragment, BidFeedbackFragment, BidFeedbackView } from "./BidBreakdown";
import { BidOutcome, BidOutcomeFragment } from "./BidOutcome";

const PAGE_SIZE = 20;

const MyBidsQuery = graphql(
  `
    query MyBids($first: Int!, $after: String) {
      myBids(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            status
            revision
            createdAt
            order {
              id
              title
            }
            ...BidBreakdown
            ...BidOutcome
            ...BidFeedbackView
          }
        }
      }
    }
  `,
  [BidBreakdownFragment, BidOutcomeFragment, BidFeedbackFragment],
);

export function MyBidsPage() {
  const { t } = useTranslation("bids");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <section>
      <h1>{t("mine.title")}</h1>
      <p className="lead">{t("mine.lead")}</p>
      {cursors.map((after, index) => (
        <MyBidsPageOf
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

function MyBidsPageOf({
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
  const { t } = useTranslation("bids");
  const format = useFormat();
  const { label } = useLabels();
  const [result, reexecute] = useQuery({
    query: MyBidsQuery,
    variables: { first: PAGE_SIZE, after },
    requestPolicy: "cache-and-network",
  });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const page = result.data?.myBids;
  if (!page) return null;
  return (
    <>
      {first && page.edges.length === 0 ? (
        <Empty>
          {t("mine.none")} <Link to="/orders">{t("mine.toBoard")}</Link>
        </Empty>
      ) : null}
      <ol className="cards" aria-label={t("mine.list")}>
        {page.edges.map(({ node: bid }) => (
          <li key={bid.id}>
            <article className="card bid-card" aria-labelledby={`my-bid-${bid.id}`}>
              <h2 className="card-title" id={`my-bid-${bid.id}`}>
                {bid.order ? (
                  <Link to={`/orders/${bid.order.id}?bid=${encodeURIComponent(bid.id)}`}>{bid.order.title}</Link>
                ) : (
                  t("mine.orderGone")
                )}
              </h2>
              <p>
                <span className="badge">{label("BidStatus", bid.status)}</span>{" "}
                <span className="muted">
                  {t("bid.revision", { revision: bid.revision })} · {format.dateTime(bid.createdAt)}
                </span>
              </p>
              <BidOutcome data={bid} />
              <BidBreakdown data={bid} />
              <BidFeedbackView data={bid} />
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

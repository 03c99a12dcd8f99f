// "My bids": every bid of the manufacturer's organisations, newest first, with its status, the price the API
// worked out, and won/lost with the feedback; infinite scroll over the connection.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { graphql, type ResultOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { PagedCards } from "../ui/PagedCards";
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
  return (
    <section>
      <h1>{t("mine.title")}</h1>
      <p className="lead">{t("mine.lead")}</p>
      <PagedCards
        query={MyBidsQuery}
        connection={(data) => data.myBids}
        label={t("mine.list")}
        empty={
          <>
            {t("mine.none")} <Link to="/orders">{t("mine.toBoard")}</Link>
          </>
        }
        card={(bid) => <MyBidCard bid={bid} />}
        pageSize={PAGE_SIZE}
        requestPolicy="cache-and-network"
      />
    </section>
  );
}

type MyBid = NonNullable<ResultOf<typeof MyBidsQuery>["myBids"]>["edges"][number]["node"];

function MyBidCard({ bid }: { bid: MyBid }) {
  const { t } = useTranslation("bids");
  const format = useFormat();
  const { label } = useLabels();
  return (
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
  );
}

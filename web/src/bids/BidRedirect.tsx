// A deep link to a bid (/bids/:id) opens its order page with the bid in view.
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../graphql";
import { Empty, LoadError, Loading } from "../ui/States";

const BidLinkQuery = graphql(`
  query BidLink($id: ID!) {
    node(id: $id) {
      __typename
      ... on Bid {
        id
        order {
          id
        }
      }
    }
  }
`);

export function BidRedirect() {
  const { id = "" } = useParams();
  const { t } = useTranslation("bids");
  const [result, reexecute] = useQuery({ query: BidLinkQuery, variables: { id } });
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const node = result.data?.node;
  if (node?.__typename === "Bid" && node.order) {
    return <Navigate replace to={`/orders/${node.order.id}?bid=${encodeURIComponent(node.id)}`} />;
  }
  return (
    <section>
      <h1>{t("mine.orderGone")}</h1>
      <Empty>
        <Link to="/my/bids">{t("mine.title")}</Link>
      </Empty>
    </section>
  );
}

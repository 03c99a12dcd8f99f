// The order page for both roles: the order's facts and Q&A for everyone who may see it; its own bids and the
// bid form for a manufacturer; bids arriving live, ranked and awarded for its buyer. Who sees which part and
// which actions are offered come from the API (viewerIsBuyer, viewerCanBid, viewerCanEdit…).
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { BuyerBids } from "../bids/BuyerBids";
import { MyBidPanel, MyBidPanelFragment } from "../bids/MyBidPanel";
import { OrderFilesSidePanels, OrderFilesFragment, OrderFilesSection } from "../files/OrderFilesSection";
import { graphql } from "../graphql";
import { useLabels } from "../i18n/labels";
import { Empty, LoadError, Loading } from "../ui/States";
import { OrderFacts, OrderFactsFragment } from "./detail/OrderFacts";
import { Questions, QuestionsFragment } from "./detail/Questions";

const OrderPageQuery = graphql(
  `
    query OrderPage($id: ID!) {
      order(id: $id) {
        id
        title
        status
        biddingOpen
        viewerIsBuyer
        viewerCanEdit
        ...OrderFacts
        ...Questions
        ...MyBidPanel
        ...OrderFiles
      }
    }
  `,
  [OrderFactsFragment, QuestionsFragment, MyBidPanelFragment, OrderFilesFragment],
);

export function OrderPage() {
  const { id = "" } = useParams();
  const [params] = useSearchParams();
  const { t } = useTranslation("orderDetail");
  const { label } = useLabels();
  const [result, reexecute] = useQuery({ query: OrderPageQuery, variables: { id } });
  const refresh = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={refresh} />;
  const order = result.data?.order;
  if (!order) {
    return (
      <section>
        <h1>{t("order.notFound")}</h1>
        <Empty>
          <Link to="/orders">{t("order.toBoard")}</Link>
        </Empty>
      </section>
    );
  }
  return (
    <article className="order-page">
      <header className="page-header">
        <p>
          <Link to="/orders">{t("order.toBoard")}</Link>
        </p>
        <h1>{order.title}</h1>
        <p>
          <span className={order.biddingOpen ? "badge badge-ok" : "badge"}>{label("OrderStatus", order.status)}</span>
          {!order.biddingOpen && order.status === "OPEN" ? (
            <span className="muted"> {t("order.biddingClosed")}</span>
          ) : null}
        </p>
        {order.viewerCanEdit || order.viewerIsBuyer ? (
          <p className="actions">
            {order.viewerCanEdit ? (
              <Link className="button" to={`/orders/${order.id}/edit`}>
                {order.status === "DRAFT" ? t("order.edit") : t("order.editOpen")}
              </Link>
            ) : null}
            {order.viewerIsBuyer && order.status === "OPEN" ? (
              <Link className="button" to={`/orders/${order.id}/suppliers`}>
                {t("order.suppliers")}
              </Link>
            ) : null}
          </p>
        ) : null}
      </header>
      <div className="order-layout">
        <div>
          <OrderFacts data={order} />
          <OrderFilesSection data={order} canEdit={order.viewerCanEdit} onChanged={refresh} />
          <Questions data={order} onChanged={refresh} />
        </div>
        <div>
          {order.viewerIsBuyer ? (
            order.status === "DRAFT" ? null : (
              <BuyerBids orderId={order.id} onAwarded={refresh} />
            )
          ) : (
            <MyBidPanel data={order} highlightBidId={params.get("bid")} onChanged={refresh} />
          )}
          <OrderFilesSidePanels data={order} canEdit={order.viewerCanEdit} onChanged={refresh} />
        </div>
      </div>
    </article>
  );
}

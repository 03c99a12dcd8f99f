// One of the buyer's orders in "My orders": what, how many, until when, for how much, and where to go.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { graphql, readFragment, type FragmentOf } from "../../graphql";
import { useFormat } from "../../i18n/format";
import { useLabels } from "../../i18n/labels";
import { StatusBadge } from "./StatusBadge";

export const MyOrderRowFragment = graphql(`
  fragment MyOrderRow on Order {
    id
    title
    status
    process
    material
    quantity
    needBy
    biddingDeadline
    createdAt
    closedAt
    cancelReason
    viewerActions
    budget {
      min {
        amount
        currency
      }
      max {
        amount
        currency
      }
    }
    buyer {
      id
      name
    }
  }
`);

export function MyOrderRow({ data, showBuyer }: { data: FragmentOf<typeof MyOrderRowFragment>; showBuyer: boolean }) {
  const { t } = useTranslation("buyerOrders");
  const format = useFormat();
  const { label } = useLabels();
  const order = readFragment(MyOrderRowFragment, data);
  // A draft is still being written: it opens in the form. The others have their own page.
  const href = order.status === "DRAFT" ? `/orders/${order.id}/edit` : `/orders/${order.id}`;
  return (
    <article className="card order-row">
      <h2 className="order-row-title">
        <Link to={href}>{order.title}</Link> <StatusBadge status={order.status} />
      </h2>
      <p className="muted">
        {label("Process", order.process)} · {order.material} · {t("mine.quantity", { value: format.number(order.quantity) })}
      </p>
      <p>
        {order.closedAt
          ? t("mine.closed", { date: format.date(order.closedAt) })
          : t("mine.deadline", {
              date: format.dateTime(order.biddingDeadline),
              relative: format.relative(order.biddingDeadline),
            })}
        {" · "}
        {t("mine.needBy", { date: format.date(order.needBy) })}
      </p>
      {order.cancelReason ? <p className="muted">{t("mine.cancelReason", { reason: order.cancelReason })}</p> : null}
      <p>{t("mine.budget", { min: format.money(order.budget.min), max: format.money(order.budget.max) })}</p>
      {showBuyer ? <p className="muted">{t("mine.buyer", { name: order.buyer.name })}</p> : null}
      <p className="actions order-row-actions">
        {order.closedAt ? null : (
          <Link to={`/orders/${order.id}/suppliers`} aria-label={t("mine.whoFitsFor", { title: order.title })}>
            {t("mine.whoFits")}
          </Link>
        )}
        {order.status !== "DRAFT" && order.viewerActions.includes("EDIT") ? (
          <Link to={`/orders/${order.id}/edit`} aria-label={t("mine.editFor", { title: order.title })}>
            {t("mine.editOpen")}
          </Link>
        ) : null}
        <span className="muted order-row-created">{t("mine.created", { date: format.date(order.createdAt) })}</span>
      </p>
    </article>
  );
}

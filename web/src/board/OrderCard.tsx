// One order on the board: what, how many, where, by when and for about how much.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { Highlighted } from "../ui/Highlighted";

export const OrderCardFragment = graphql(`
  fragment OrderCard on Order {
    id
    title
    status
    process
    material
    quantity
    deliveryRegion
    needBy
    biddingDeadline
    allowSplit
    requiredCertifications
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

export function OrderCard({
  data,
  highlights = [],
  children,
}: {
  data: FragmentOf<typeof OrderCardFragment>;
  highlights?: readonly { field: string; snippet: string }[];
  children?: React.ReactNode;
}) {
  const { t } = useTranslation("board");
  const format = useFormat();
  const { label, region } = useLabels();
  const order = readFragment(OrderCardFragment, data);
  return (
    <article className="card order-card">
      <h3>
        <Link to={`/orders/${order.id}`}>{order.title}</Link>
      </h3>
      <ul className="tags">
        <li>{label("Process", order.process)}</li>
        <li>{order.material}</li>
        <li>{t("card.quantity", { count: order.quantity })}</li>
        {order.allowSplit ? <li>{t("card.split")}</li> : null}
      </ul>
      <p>
        {t("card.budget", { min: format.money(order.budget.min), max: format.money(order.budget.max) })} ·{" "}
        {region(order.deliveryRegion)}
      </p>
      <p className="muted">
        {t("card.deadline", {
          date: format.dateTime(order.biddingDeadline),
          relative: format.relative(order.biddingDeadline),
        })}{" "}
        · {t("card.needBy", { date: format.date(order.needBy) })}
      </p>
      {order.requiredCertifications.length ? (
        <p className="muted">
          {t("card.certifications", {
            list: order.requiredCertifications.map((c) => label("CertificationStandard", c)).join(", "),
          })}
        </p>
      ) : null}
      <p className="muted">{t("card.buyer", { name: order.buyer.name })}</p>
      {highlights.map((highlight) => (
        <p key={highlight.field} className="snippet">
          <Highlighted snippet={highlight.snippet} />
        </p>
      ))}
      {children}
    </article>
  );
}

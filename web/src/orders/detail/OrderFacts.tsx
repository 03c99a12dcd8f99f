// What the order asks for: the facts a manufacturer quotes against.
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../../graphql";
import { useFormat } from "../../i18n/format";
import { useLabels } from "../../i18n/labels";

export const OrderFactsFragment = graphql(`
  fragment OrderFacts on Order {
    id
    description
    process
    material
    quantity
    awardedQuantity
    allowSplit
    toleranceClass
    requiredCertifications
    needBy
    deliveryRegion
    biddingDeadline
    estimatedMachineHours
    budget {
      includesVat
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

export function OrderFacts({ data }: { data: FragmentOf<typeof OrderFactsFragment> }) {
  const { t } = useTranslation("orderDetail");
  const format = useFormat();
  const { label, region } = useLabels();
  const order = readFragment(OrderFactsFragment, data);
  return (
    <section aria-labelledby="order-details">
      <h2 id="order-details">{t("order.details")}</h2>
      <dl className="facts">
        <dt>{t("order.buyer")}</dt>
        <dd>{order.buyer.name}</dd>
        <dt>{t("order.process")}</dt>
        <dd>{label("Process", order.process)}</dd>
        <dt>{t("order.material")}</dt>
        <dd>{order.material}</dd>
        <dt>{t("order.quantity")}</dt>
        <dd>
          {t("order.quantityValue", { count: order.quantity })}
          {order.allowSplit ? (
            <>
              {" "}
              · {t("order.split")}
              {order.awardedQuantity > 0
                ? ` · ${t("order.awarded", { awarded: order.awardedQuantity, count: order.quantity })}`
                : null}
            </>
          ) : null}
        </dd>
        <dt>{t("order.tolerance")}</dt>
        <dd>{label("ToleranceClass", order.toleranceClass)}</dd>
        <dt>{t("order.certifications")}</dt>
        <dd>
          {order.requiredCertifications.length
            ? order.requiredCertifications.map((c) => label("CertificationStandard", c)).join(", ")
            : t("order.none")}
        </dd>
        <dt>{t("order.budget")}</dt>
        <dd>
          {t("order.budgetValue", { min: format.money(order.budget.min), max: format.money(order.budget.max) })}{" "}
          <span className="muted">{label("PriceBasis", order.budget.includesVat ? "GROSS" : "NET")}</span>
        </dd>
        <dt>{t("order.deadline")}</dt>
        <dd>
          {t("order.deadlineValue", {
            date: format.dateTime(order.biddingDeadline),
            relative: format.relative(order.biddingDeadline),
          })}
        </dd>
        <dt>{t("order.needBy")}</dt>
        <dd>{format.date(order.needBy)}</dd>
        <dt>{t("order.region")}</dt>
        <dd>{region(order.deliveryRegion)}</dd>
        {order.estimatedMachineHours ? (
          <>
            <dt>{t("order.machineHours")}</dt>
            <dd>{t("order.machineHoursValue", { count: order.estimatedMachineHours })}</dd>
          </>
        ) : null}
      </dl>
      {order.description ? (
        <>
          <h3>{t("order.description")}</h3>
          <p className="prose">{order.description}</p>
        </>
      ) : null}
    </section>
  );
}

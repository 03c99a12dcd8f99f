// A bid's price as the API worked it out: unit price × quantity + tooling = total, with lead time and validity;
// and, for a bid that lost, what its bidder learns.
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { TaxedAmount, TaxedAmountFragment } from "../taxes/TaxedAmount";

export const BidBreakdownFragment = graphql(
  `
  fragment BidBreakdown on Bid {
    id
    status
    revision
    quantity
    leadTimeDays
    validUntil
    notes
    unitPrice {
      amount
      currency
    }
    tooling {
      amount
      currency
    }
    total {
      amount
      currency
    }
    totalTaxed {
      ...TaxedAmount
    }
  }
`, [TaxedAmountFragment]);

export function BidBreakdown({
  data,
  children,
}: {
  data: FragmentOf<typeof BidBreakdownFragment>;
  /** More terms (dt/dd pairs) in the same list. */
  children?: React.ReactNode;
}) {
  const { t } = useTranslation("bids");
  const format = useFormat();
  const bid = readFragment(BidBreakdownFragment, data);
  return (
    <dl className="facts bid-breakdown">
      <dt>{t("bid.total")}</dt>
      <dd>
        <strong className="bid-total">{format.money(bid.total)}</strong>
        <span className="muted">
          {" "}
          ={" "}
          {t("bid.breakdown", {
            unitPrice: format.money(bid.unitPrice),
            quantity: format.number(bid.quantity),
            tooling: format.money(bid.tooling),
          })}
        </span>
        <br />
        <TaxedAmount data={bid.totalTaxed} />
      </dd>
      <dt>{t("bid.leadTime")}</dt>
      <dd>{t("bid.days", { count: bid.leadTimeDays })}</dd>
      <dt>{t("bid.validUntil")}</dt>
      <dd>{format.date(bid.validUntil)}</dd>
      {bid.notes ? (
        <>
          <dt>{t("bid.notes")}</dt>
          <dd>{bid.notes}</dd>
        </>
      ) : null}
      {children}
    </dl>
  );
}

export const BidFeedbackFragment = graphql(`
  fragment BidFeedbackView on Bid {
    id
    feedback {
      rankBand
      priceBand
      reason
      priceBasis
    }
  }
`);

export function BidFeedbackView({ data }: { data: FragmentOf<typeof BidFeedbackFragment> }) {
  const { t } = useTranslation("bids");
  const { label } = useLabels();
  const { feedback } = readFragment(BidFeedbackFragment, data);
  if (!feedback) return null;
  return (
    <div className="feedback">
      <h4>{t("bid.feedback")}</h4>
      <dl className="facts">
        <dt>{t("bid.rankBand")}</dt>
        <dd>{label("RankBand", feedback.rankBand)}</dd>
        <dt>{t("bid.priceBand")}</dt>
        <dd>
          {label("PriceBand", feedback.priceBand)}{" "}
          <span className="muted">({label("PriceBasis", feedback.priceBasis)})</span>
        </dd>
        <dt>{t("bid.reason")}</dt>
        <dd>{feedback.reason ? label("LostReason", feedback.reason) : t("bid.noReason")}</dd>
      </dl>
    </div>
  );
}

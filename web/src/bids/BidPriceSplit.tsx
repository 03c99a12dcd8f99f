// The bid form's live split of the price into net, VAT and gross, as the manufacturer types: the API works it out
// (bidPriceSplit) by the rule placeBid will fix on the bid — the bidder's tax status, the rate in force today, VAT
// per line rounded to the kopeck — so these are the figures the bid will carry. Nothing is computed here.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { graphql, readFragment } from "../graphql";
import { UserErrorFragment } from "../errors/userError";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { TaxedAmountFragment } from "../taxes/TaxedAmount";
import { ErrorText, userErrorOf } from "../ui/forms";

const BidPriceSplitQuery = graphql(
  `
  query BidPriceSplit($unitPrice: MoneyInput!, $quantity: Int!, $tooling: MoneyInput) {
    bidPriceSplit(unitPrice: $unitPrice, quantity: $quantity, tooling: $tooling) {
      __typename
      ... on BidPriceSplit {
        total {
          ...TaxedAmount
        }
      }
      ...UserErrorFields
    }
  }
`,
  [UserErrorFragment, TaxedAmountFragment],
);

/** The value after it stopped changing for `delay` ms: one request per pause in typing, not per keystroke. */
function useSettled<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

export function BidPriceSplit({
  unitPrice,
  quantity,
  tooling,
  currency,
  delay = 300,
}: {
  /** As the API reads amounts ("1250.50"); empty: nothing typed yet. */
  unitPrice: string;
  quantity: number;
  tooling: string;
  currency: string;
  delay?: number;
}) {
  const { t } = useTranslation("bids");
  const { label } = useLabels();
  const format = useFormat();
  const typed = JSON.stringify({ unitPrice, quantity, tooling });
  const settled = useSettled(typed, delay);
  const asked = JSON.parse(settled) as { unitPrice: string; quantity: number; tooling: string };
  const [result] = useQuery({
    query: BidPriceSplitQuery,
    variables: {
      unitPrice: { amount: asked.unitPrice, currency },
      quantity: asked.quantity,
      tooling: asked.tooling ? { amount: asked.tooling, currency } : null,
    },
    pause: !asked.unitPrice,
  });
  // Figures for other numbers than those in the form are never shown: while the typing settles or the answer is on
  // its way, the panel says it is working.
  const current = typed === settled && !result.fetching;
  const payload = current ? result.data?.bidPriceSplit : undefined;
  const refusal = userErrorOf(payload);
  const total = payload?.__typename === "BidPriceSplit" ? readFragment(TaxedAmountFragment, payload.total) : null;

  return (
    <div className="bid-split" aria-live="polite" data-testid="bid-split">
      <h4>{t("split.title")}</h4>
      {!asked.unitPrice ? (
        <p className="muted">{t("split.typePrice")}</p>
      ) : total ? (
        <dl className="facts">
          <dt>{t("split.net")}</dt>
          <dd data-testid="bid-split-net">{format.money(total.net)}</dd>
          <dt>
            {total.rate === null
              ? label("VatTreatment", total.treatment)
              : t("split.vat", { rate: format.number(Number(total.rate)) })}
          </dt>
          <dd data-testid="bid-split-vat">{format.money(total.vat)}</dd>
          <dt>{t("split.gross")}</dt>
          <dd data-testid="bid-split-gross">
            <strong>{format.money(total.gross)}</strong>
          </dd>
        </dl>
      ) : refusal ? (
        <p className="muted">
          <ErrorText error={refusal} />
        </p>
      ) : current && result.error ? (
        <p className="muted">
          <ErrorText error={{ message: result.error.message }} />
        </p>
      ) : (
        <p className="muted">{t("split.working")}</p>
      )}
      <p className="muted">{t("split.note")}</p>
    </div>
  );
}

// How far a contract's funding has got: the API's figures (due, received, remaining) as a bar and in words.
import { useTranslation } from "react-i18next";
import { useFormat, type MoneyValue } from "../i18n/format";

export interface Funding {
  amountDue: MoneyValue;
  received: MoneyValue;
  remaining: MoneyValue;
}

/** The share received, 0..1, for the bar only (the figures shown are the API's own). */
export function receivedShare(funding: Funding): number {
  const due = Number(funding.amountDue.amount);
  if (!(due > 0)) return 0;
  return Math.min(1, Math.max(0, Number(funding.received.amount) / due));
}

export function FundingProgress({ funding }: { funding: Funding }) {
  const { t } = useTranslation("operator");
  const format = useFormat();
  const share = receivedShare(funding);
  const text = t("pay.progress", { received: format.money(funding.received), due: format.money(funding.amountDue) });
  return (
    <div className="funding-progress">
      <progress value={Math.round(share * 100)} max={100} aria-label={text} />
      <dl className="facts">
        <dt>{t("pay.due")}</dt>
        <dd>{format.money(funding.amountDue)}</dd>
        <dt>{t("pay.received")}</dt>
        <dd data-testid="received">{format.money(funding.received)}</dd>
        <dt>{t("pay.remaining")}</dt>
        <dd data-testid="remaining">{format.money(funding.remaining)}</dd>
      </dl>
    </div>
  );
}

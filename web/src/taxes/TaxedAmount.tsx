// An amount with its VAT as the API worked it out: the gross, then «в т. ч. НДС 22 %: …» and the net, or «без НДС».
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";

export const TaxedAmountFragment = graphql(`
  fragment TaxedAmount on TaxedMoney {
    rate
    treatment
    net {
      amount
      currency
    }
    vat {
      amount
      currency
    }
    gross {
      amount
      currency
    }
  }
`);

/** The VAT lines under an amount (the gross is shown by the caller, or with `withGross`). */
export function TaxedAmount({
  data,
  withGross = false,
}: {
  data: FragmentOf<typeof TaxedAmountFragment>;
  withGross?: boolean;
}) {
  const { t } = useTranslation("taxes");
  const format = useFormat();
  const amount = readFragment(TaxedAmountFragment, data);
  const rate = amount.rate === null ? null : format.number(Number(amount.rate));
  return (
    <span className="taxed-amount">
      {withGross ? <strong>{format.money(amount.gross)}</strong> : null}
      <span className="muted vat-line">
        {rate === null
          ? amount.treatment === "NOT_STATED"
            ? t("notStated")
            : t("noVat")
          : `${t("vatIncluded", { rate, vat: format.money(amount.vat) })} · ${t("net", { net: format.money(amount.net) })}`}
      </span>
    </span>
  );
}

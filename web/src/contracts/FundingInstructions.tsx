// While the contract awaits funding, the buyer sees where to pay: each detail with a copy button; and, when
// the API offers card payment, a link to the card payment page.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { TaxedAmount, TaxedAmountFragment } from "../taxes/TaxedAmount";

export const ContractFundingFragment = graphql(
  `
  fragment ContractFunding on Contract {
    id
    fundingInstructions {
      method
      card {
        publishableKey
      }
      paymentReference
      beneficiary
      bankDetails
      demo
      amountDue {
        amount
        currency
      }
      amountDueTaxed {
        ...TaxedAmount
      }
    }
  }
`,
  [TaxedAmountFragment],
);

export function FundingInstructions({ data }: { data: FragmentOf<typeof ContractFundingFragment> }) {
  const { t } = useTranslation("contracts");
  const format = useFormat();
  const [copied, setCopied] = useState("");
  const contract = readFragment(ContractFundingFragment, data);
  const funding = contract.fundingInstructions;
  if (!funding) return null;
  const rows: { key: string; label: string; value: string; copy: string; demo?: boolean }[] = [
    { key: "amount", label: t("funding.amountDue"), value: format.money(funding.amountDue), copy: funding.amountDue.amount },
    { key: "reference", label: t("funding.reference"), value: funding.paymentReference, copy: funding.paymentReference },
    { key: "beneficiary", label: t("funding.beneficiary"), value: funding.beneficiary, copy: funding.beneficiary, demo: funding.demo },
    { key: "bank", label: t("funding.bankDetails"), value: funding.bankDetails, copy: funding.bankDetails, demo: funding.demo },
  ].filter((row) => row.value);
  const copy = async (row: (typeof rows)[number]) => {
    try {
      await navigator.clipboard.writeText(row.copy);
    } catch {
      // no clipboard (an insecure page): the text stays selectable
    }
    setCopied(t("funding.copied", { what: row.label }));
  };
  return (
    <section aria-labelledby="funding-title" className="contract-funding card">
      <h2 id="funding-title">{t("funding.title")}</h2>
      <p>{t("funding.lead")}</p>
      {funding.demo ? (
        <p className="notice" role="note" data-testid="funding-demo">
          <strong>{t("funding.demoTitle")}</strong> {t("funding.demoText")}
        </p>
      ) : null}
      <dl className="facts funding-facts">
        {rows.map((row) => (
          <div key={row.key} className="funding-row">
            <dt>{row.label}</dt>
            <dd>
              <span className="funding-value">{row.value}</span>
              {row.demo ? <span className="badge badge-warn">{t("funding.demoBadge")}</span> : null}{" "}
              <button type="button" className="copy" onClick={() => void copy(row)}>
                {t("funding.copyShort")}
                <span className="visually-hidden">: {row.label}</span>
              </button>
              {row.key === "amount" ? <TaxedAmount data={funding.amountDueTaxed} /> : null}
            </dd>
          </div>
        ))}
      </dl>
      <p className="live-announcement" role="status" aria-live="polite">
        {copied}
      </p>
      {funding.card ? (
        <p>
          {t("funding.card")}{" "}
          <Link className="button primary" to={`/contracts/${encodeURIComponent(contract.id)}/pay`}>
            {t("actions.payByCard")}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

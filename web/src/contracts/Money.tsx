// The money of a contract: totals, the price by milestone (amount, the exchange's fee, the manufacturer's net,
// status), what escrow holds, and the escrow account's statement.
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { TaxedAmount, TaxedAmountFragment } from "../taxes/TaxedAmount";
import { escrowStatement } from "./statement";

export const ContractMoneyFragment = graphql(
  `
  fragment ContractMoney on Contract {
    id
    total {
      amount
      currency
    }
    platformFee {
      amount
      currency
    }
    manufacturerNet {
      amount
      currency
    }
    totalTaxed {
      ...TaxedAmount
    }
    platformFeeTaxed {
      ...TaxedAmount
    }
    manufacturerNetTaxed {
      ...TaxedAmount
    }
    escrowBalance {
      amount
      currency
    }
    milestones {
      name
      status
      settledAt
      amount {
        amount
        currency
      }
      platformFee {
        amount
        currency
      }
      manufacturerNet {
        amount
        currency
      }
      amountTaxed {
        ...TaxedAmount
      }
      platformFeeTaxed {
        ...TaxedAmount
      }
      manufacturerNetTaxed {
        ...TaxedAmount
      }
    }
    ledgerLines {
      kind
      account
      providerReference
      pending
      createdAt
      amount {
        amount
        currency
      }
    }
  }
`,
  [TaxedAmountFragment],
);

export function Money({ data }: { data: FragmentOf<typeof ContractMoneyFragment> }) {
  const { t } = useTranslation("contracts");
  const format = useFormat();
  const contract = readFragment(ContractMoneyFragment, data);
  const statement = escrowStatement(contract.ledgerLines);
  return (
    <section aria-labelledby="money-title" className="contract-money">
      <h2 id="money-title">{t("money.title")}</h2>
      <dl className="facts">
        <dt>{t("money.escrow")}</dt>
        <dd data-testid="escrow-balance">
          <strong>{format.money(contract.escrowBalance)}</strong>
        </dd>
      </dl>
      <table>
        <caption>{t("money.milestones")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("money.milestone")}</th>
            <th scope="col" className="number">
              {t("money.total")}
            </th>
            <th scope="col" className="number">
              {t("money.fee")}
            </th>
            <th scope="col" className="number">
              {t("money.net")}
            </th>
            <th scope="col">{t("money.status")}</th>
          </tr>
        </thead>
        <tbody>
          {contract.milestones.map((milestone) => (
            <tr key={milestone.name}>
              <th scope="row">{t(`money.name.${milestone.name}`, { defaultValue: milestone.name })}</th>
              <td className="number">
                {format.money(milestone.amount)}
                <TaxedAmount data={milestone.amountTaxed} />
              </td>
              <td className="number">
                {format.money(milestone.platformFee)}
                <TaxedAmount data={milestone.platformFeeTaxed} />
              </td>
              <td className="number">
                {format.money(milestone.manufacturerNet)}
                <TaxedAmount data={milestone.manufacturerNetTaxed} />
              </td>
              <td>
                {t(`money.milestoneStatus.${milestone.status}`, { defaultValue: milestone.status })}
                {milestone.settledAt ? <span className="muted"> · {format.date(milestone.settledAt)}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("room.total")}</th>
            <td className="number" data-testid="contract-total">
              {format.money(contract.total)}
              <TaxedAmount data={contract.totalTaxed} />
            </td>
            <td className="number">
              {format.money(contract.platformFee)}
              <TaxedAmount data={contract.platformFeeTaxed} />
            </td>
            <td className="number">
              {format.money(contract.manufacturerNet)}
              <TaxedAmount data={contract.manufacturerNetTaxed} />
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
      <Statement rows={statement} />
    </section>
  );
}

export function Statement({ rows }: { rows: ReturnType<typeof escrowStatement> }) {
  const { t } = useTranslation("contracts");
  const format = useFormat();
  if (rows.length === 0) {
    return (
      <>
        <h3>{t("money.statement")}</h3>
        <p className="muted">{t("money.statementEmpty")}</p>
      </>
    );
  }
  return (
    <table className="statement">
      <caption>{t("money.statement")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("money.date")}</th>
          <th scope="col">{t("money.operation")}</th>
          <th scope="col" className="number">
            {t("money.incoming")}
          </th>
          <th scope="col" className="number">
            {t("money.outgoing")}
          </th>
          <th scope="col" className="number">
            {t("money.balance")}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index}>
            <td>{format.date(row.createdAt)}</td>
            <td>
              {t(`money.kind.${row.kind}`, { defaultValue: row.kind })}
              {row.pending ? (
                <span className="muted statement-reference"> · {t("money.pending")}</span>
              ) : row.reference ? (
                <span className="muted statement-reference"> · {row.reference}</span>
              ) : null}
            </td>
            <td className="number">{row.incoming ? format.money(row.incoming) : ""}</td>
            <td className="number">{row.outgoing ? `−${format.money(row.outgoing)}` : ""}</td>
            <td className="number">{format.money(row.balance)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

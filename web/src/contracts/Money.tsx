// The money of a contract: totals, the price by milestone (amount, the exchange's fee, the manufacturer's net,
// status), what escrow holds, and the escrow account's statement.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";
import { TaxedAmount, TaxedAmountFragment } from "../taxes/TaxedAmount";
import { escrowStatement, type RefundDetail, type StatementRow } from "./statement";

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
      milestoneName
      bankTransactionId
      cardPayment
      refund {
        reason
        method
        cardRefundId
        bankReference
        decision {
          id
          note
          createdAt
        }
        paymentInstruction {
          id
          status
          confirmedAt
        }
      }
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
              <StatementDetail row={row} />
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

/** What a person recognises a statement line by: the milestone paid out, the bank transfer's number, a card; the
 * payment system's own id (a payout instruction, a transfer) only folded away, to copy for support. */
function StatementDetail({ row }: { row: StatementRow }) {
  const { t } = useTranslation("contracts");
  const format = useFormat();
  const [copied, setCopied] = useState(false);
  const refund = row.refund;
  const said = [
    row.milestoneName ? t("money.forMilestone", { name: t(`money.name.${row.milestoneName}`, { defaultValue: row.milestoneName }) }) : "",
    row.bankTransactionId ? t("money.bankTransfer", { number: row.bankTransactionId }) : "",
    row.cardPayment ? t("money.byCard") : "",
    refund && refund.reason !== "UNKNOWN" ? t(`money.refundReason.${refund.reason}`, { defaultValue: "" }) : "",
    refund ? refundMethod(t, format, refund) : "",
    row.pending ? t("money.pending") : "",
  ].filter(Boolean);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(row.reference);
    } catch {
      // no clipboard (an insecure page): the id stays selectable
    }
    setCopied(true);
  };
  return (
    <>
      {said.length > 0 ? <span className="muted statement-reference"> · {said.join(" · ")}</span> : null}
      {refund?.decision ? (
        <span className="muted statement-decision" data-event-id={refund.decision.id}>
          {" "}
          {refund.decision.note
            ? t("money.decidedWithNote", { date: format.date(refund.decision.at), note: refund.decision.note })
            : t("money.decided", { date: format.date(refund.decision.at) })}
        </span>
      ) : null}
      {row.reference ? (
        <details className="statement-id">
          <summary>{t("money.paymentId")}</summary>
          <code>{row.reference}</code>{" "}
          <button type="button" className="link-button" onClick={() => void copy()}>
            {t("money.copyId")}
          </button>
          {copied ? (
            <span role="status" className="muted">
              {" "}
              {t("money.copiedId")}
            </span>
          ) : null}
        </details>
      ) : null}
    </>
  );
}

/** How a refund went out: to the card, or a bank transfer the operator still owes or has made. */
function refundMethod(
  t: (key: string, options?: Record<string, string>) => string,
  format: ReturnType<typeof useFormat>,
  refund: RefundDetail,
): string {
  if (refund.method === "CARD") return t("money.refundToCard");
  if (!refund.transfer) return t("money.refundByTransfer");
  if (!refund.transfer.done) return t("money.refundTransferOwed");
  if (refund.transfer.reference) {
    return refund.transfer.at
      ? t("money.refundTransferNumberMadeOn", { number: refund.transfer.reference, date: format.date(refund.transfer.at) })
      : t("money.refundTransferNumberMade", { number: refund.transfer.reference });
  }
  return refund.transfer.at
    ? t("money.refundTransferMadeOn", { date: format.date(refund.transfer.at) })
    : t("money.refundTransferMade");
}

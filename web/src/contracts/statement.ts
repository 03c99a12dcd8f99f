// The escrow account's statement from the contract's ledger lines: only the escrow postings, oldest first, each
// with the running balance. Amounts are exact decimal strings; the sum is done in minor units as BigInt.

export interface LedgerLineValue {
  kind: string;
  account: string;
  amount: { amount: string; currency: string };
  providerReference: string;
  // A payout or refund still being made with the payment provider: its reference is a placeholder.
  pending?: boolean;
  /** A release: the milestone it paid out (first_article, acceptance). */
  milestoneName?: string | null;
  /** Money in by bank transfer: the bank's transaction number, as the buyer's bank statement shows it. */
  bankTransactionId?: string | null;
  /** Money in by card. */
  cardPayment?: boolean;
  /** A refund: what it came from and how it went out (null on other lines). */
  refund?: LedgerRefundValue | null;
  createdAt: string;
}

export interface LedgerRefundValue {
  /** CANCELLED, CANCELLED_BY_OPERATOR, FUNDING_EXPIRED, DISPUTE_DECIDED, LATE_PAYMENT, OVERPAYMENT, OUTSIDE_EXCHANGE… */
  reason: string;
  /** CARD or BANK_TRANSFER. */
  method: string;
  /** The contract's step that gave the money back: one of its events. */
  decision?: { id: string; note: string; createdAt: string } | null;
  /** The card provider's refund id, once made. */
  cardRefundId?: string | null;
  /** A bank transfer: the reference the operator's bank gave it (the payment order's number), once made. */
  bankReference?: string | null;
  /** The bank transfer an operator owes the buyer. */
  paymentInstruction?: { id: string; status: string; confirmedAt?: string | null } | null;
}

/** A refund as the statement says it: why, decided by which step (its event id, note and time), and how it went. */
export interface RefundDetail {
  reason: string;
  decision: { id: string; note: string; at: string } | null;
  method: "CARD" | "BANK_TRANSFER";
  /** A bank transfer: still owed by the operator, or made (when, and under the bank's reference); null for a card
   * refund. */
  transfer: { done: boolean; at: string | null; reference: string | null } | null;
}

export interface StatementRow {
  kind: string;
  createdAt: string;
  /** The payment system's id (a payment instruction, a transfer, a card payment): a detail to copy for support. */
  reference: string;
  pending: boolean;
  milestoneName: string | null;
  bankTransactionId: string | null;
  cardPayment: boolean;
  refund: RefundDetail | null;
  incoming: { amount: string; currency: string } | null;
  outgoing: { amount: string; currency: string } | null;
  balance: { amount: string; currency: string };
}

function toMinor(amount: string): bigint {
  const negative = amount.startsWith("-");
  const [whole = "0", fraction = ""] = amount.replace(/^[-+]/, "").split(".");
  const minor = BigInt(whole + fraction.padEnd(2, "0").slice(0, 2));
  return negative ? -minor : minor;
}

function fromMinor(minor: bigint): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function refundDetail(refund: LedgerRefundValue | null | undefined): RefundDetail | null {
  if (!refund) return null;
  const instruction = refund.paymentInstruction ?? null;
  const byBank = refund.method === "BANK_TRANSFER";
  return {
    reason: refund.reason,
    decision: refund.decision ? { id: refund.decision.id, note: refund.decision.note, at: refund.decision.createdAt } : null,
    method: byBank ? "BANK_TRANSFER" : "CARD",
    transfer:
      byBank && instruction
        ? {
            done: instruction.status === "confirmed",
            at: instruction.confirmedAt ?? null,
            reference: refund.bankReference ?? null,
          }
        : null,
  };
}

export function escrowStatement(lines: readonly LedgerLineValue[]): StatementRow[] {
  let balance = 0n;
  return lines
    .filter((line) => line.account.startsWith("escrow:"))
    .map((line) => {
      const minor = toMinor(line.amount.amount);
      balance += minor;
      const currency = line.amount.currency;
      const magnitude = { amount: fromMinor(minor < 0n ? -minor : minor), currency };
      return {
        kind: line.kind,
        createdAt: line.createdAt,
        // A bank transaction's number is named in the row itself; any other id (a card refund's, a transfer's
        // instruction) only as a detail.
        reference: line.pending || line.bankTransactionId ? "" : (line.refund?.cardRefundId ?? line.providerReference),
        pending: line.pending ?? false,
        milestoneName: line.milestoneName ?? null,
        bankTransactionId: line.bankTransactionId ?? null,
        cardPayment: line.cardPayment ?? false,
        refund: refundDetail(line.refund),
        incoming: minor > 0n ? magnitude : null,
        outgoing: minor < 0n ? magnitude : null,
        balance: { amount: fromMinor(balance), currency },
      };
    });
}

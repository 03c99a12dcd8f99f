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
  createdAt: string;
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
        // A bank transaction's number is named in the row itself; any other id only as a detail.
        reference: line.pending || line.bankTransactionId ? "" : line.providerReference,
        pending: line.pending ?? false,
        milestoneName: line.milestoneName ?? null,
        bankTransactionId: line.bankTransactionId ?? null,
        cardPayment: line.cardPayment ?? false,
        incoming: minor > 0n ? magnitude : null,
        outgoing: minor < 0n ? magnitude : null,
        balance: { amount: fromMinor(balance), currency },
      };
    });
}

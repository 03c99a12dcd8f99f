import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Statement } from "./Money";
import { escrowStatement, type LedgerLineValue } from "./statement";

const line = (kind: string, account: string, amount: string, at: string, reference = ""): LedgerLineValue => ({
  kind,
  account,
  amount: { amount, currency: "RUB" },
  providerReference: reference,
  createdAt: at,
});

const INSTRUCTION = "6f1c2a9e-3b7d-4c58-9e21-0d4f8a7b5c13";
const bank = (value: LedgerLineValue) => ({ ...value, bankTransactionId: value.providerReference });
const paysOut = (value: LedgerLineValue) => ({ ...value, milestoneName: "first_article" });

const LINES = [
  bank(line("fund", "buyer_funding:b", "-100000.00", "2026-12-01T09:00:00Z", "BANK-1")),
  bank(line("fund", "escrow:c", "100000.00", "2026-12-01T09:00:00Z", "BANK-1")),
  bank(line("fund", "buyer_funding:b", "-50000.50", "2026-12-02T09:00:00Z", "BANK-2")),
  bank(line("fund", "escrow:c", "50000.50", "2026-12-02T09:00:00Z", "BANK-2")),
  paysOut(line("release", "escrow:c", "-45000.15", "2026-12-03T09:00:00Z", INSTRUCTION)),
  paysOut(line("release", "manufacturer_payable:m", "42750.15", "2026-12-03T09:00:00Z", INSTRUCTION)),
  paysOut(line("release", "platform_fees", "2250.00", "2026-12-03T09:00:00Z", INSTRUCTION)),
];

afterEach(cleanup);

describe("escrowStatement", () => {
  it("shows a payout still being made with the provider as such, not its placeholder reference", () => {
    const pending = { ...line("release", "escrow:c", "-100.00", "2026-12-04T09:00:00Z", "pending:5f0c"), pending: true };
    const [row] = escrowStatement([pending]);
    expect(row).toMatchObject({ reference: "", pending: true });
    const { unmount } = render(<Statement rows={[row!]} />);
    expect(screen.getByRole("table").textContent).toContain("проводится платёжной системой");
    expect(screen.getByRole("table").textContent).not.toContain("pending:");
    unmount();
  });

  it("keeps the escrow postings with an exact running balance", () => {
    const rows = escrowStatement(LINES);
    expect(rows.map((row) => [row.kind, row.incoming?.amount ?? null, row.outgoing?.amount ?? null, row.balance.amount])).toEqual([
      ["fund", "100000.00", null, "100000.00"],
      ["fund", "50000.50", null, "150000.50"],
      ["release", null, "45000.15", "105000.35"],
    ]);
  });

  it("renders as a bank statement: in, out and balance columns", () => {
    render(<Statement rows={escrowStatement(LINES)} />);
    const table = screen.getByRole("table", { name: "Выписка по эскроу-счёту" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(4);
    expect(rows[1]!.textContent).toContain("Оплата заказчика");
    expect(rows[1]!.textContent).toContain("банковский перевод № BANK-1");
    expect(rows[3]!.textContent).toContain("Выплата производителю · этап «Первый образец»");
    expect(rows[3]!.textContent?.replace(/\s/g, " ")).toContain("−45 000,15");
    expect(rows[3]!.textContent?.replace(/\s/g, " ")).toContain("105 000,35");
  });

  it("leads with what a person knows, the payment system's id folded away to copy", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const card = { ...line("fund", "escrow:c", "1000.00", "2026-12-01T09:00:00Z", "pi_3Qx"), cardPayment: true };
    render(<Statement rows={escrowStatement([card, ...LINES])} />);
    const rows = within(screen.getByRole("table")).getAllByRole("row");
    expect(rows[1]!.textContent).toContain("Оплата заказчика · картой");
    // The bank's own number is in the row; no id to fold away there.
    expect(within(rows[2]!).queryByText("Идентификатор в платёжной системе")).toBeNull();
    const release = rows[4]!;
    const detail = release.querySelector("details")!;
    expect(detail.open).toBe(false);
    expect(detail.querySelector("summary")!.textContent).toBe("Идентификатор в платёжной системе");
    expect(detail.querySelector("code")!.textContent).toBe(INSTRUCTION);
    fireEvent.click(within(release).getByRole("button", { name: "Скопировать" }));
    await waitFor(() => expect(within(release).getByRole("status").textContent).toContain("Скопировано"));
    expect(writeText).toHaveBeenCalledWith(INSTRUCTION);
  });
});

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Statement } from "./Money";
import i18n from "../i18n";
import { escrowStatement, type LedgerLineValue, type LedgerRefundValue } from "./statement";

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

  describe("a refund", () => {
    const FUNDED = bank(line("fund", "escrow:c", "150000.00", "2026-12-01T09:00:00Z", "ПП 4711"));
    const refundLine = (refund: LedgerRefundValue, reference = INSTRUCTION): LedgerLineValue => ({
      ...line("refund", "escrow:c", "-30000.00", "2026-12-05T09:00:00Z", reference),
      refund,
    });
    const DECIDED: LedgerRefundValue = {
      reason: "DISPUTE_DECIDED",
      method: "BANK_TRANSFER",
      decision: { id: "Q29udHJhY3RFdmVudDox", note: "Доработка принята частично", createdAt: "2026-12-05T09:00:00Z" },
      cardRefundId: null,
      paymentInstruction: { id: "UGF5bWVudEluc3RydWN0aW9uOjE=", status: "pending", confirmedAt: null },
    };

    afterEach(() => i18n.changeLanguage("ru"));

    it("says the dispute's decision it came from, with the operator's note, and the transfer still owed", () => {
      const [, row] = escrowStatement([FUNDED, refundLine(DECIDED)]);
      expect(row!.refund).toEqual({
        reason: "DISPUTE_DECIDED",
        decision: { id: "Q29udHJhY3RFdmVudDox", note: "Доработка принята частично", at: "2026-12-05T09:00:00Z" },
        method: "BANK_TRANSFER",
        transfer: { done: false, at: null, reference: null },
      });
      expect(row!.balance.amount).toBe("120000.00");
      render(<Statement rows={[row!]} />);
      const text = screen.getByRole("table").textContent!.replace(/\s/g, " ");
      expect(text).toContain("Возврат заказчику · по решению спора · банковским переводом — оператор ещё не перевёл");
      expect(text).toContain("«Доработка принята частично»");
      // The decision is one of the contract's events, named by its id for the page to point at.
      expect(document.querySelector("[data-event-id]")!.getAttribute("data-event-id")).toBe("Q29udHJhY3RFdmVudDox");
    });

    it("says when the operator made the transfer", () => {
      const made = { ...DECIDED, paymentInstruction: { id: "x", status: "confirmed", confirmedAt: "2026-12-06T10:00:00Z" } };
      const [row] = escrowStatement([refundLine(made)]);
      expect(row!.refund!.transfer).toEqual({ done: true, at: "2026-12-06T10:00:00Z", reference: null });
      render(<Statement rows={[row!]} />);
      expect(screen.getByRole("table").textContent).toMatch(/банковским переводом — переведено \d/);
    });

    it("names the transfer by the reference the operator's bank gave it", async () => {
      const made = {
        ...DECIDED,
        bankReference: "1842",
        paymentInstruction: { id: "x", status: "confirmed", confirmedAt: "2026-12-06T10:00:00Z" },
      };
      const [row] = escrowStatement([refundLine(made)]);
      expect(row!.refund!.transfer).toEqual({ done: true, at: "2026-12-06T10:00:00Z", reference: "1842" });
      render(<Statement rows={[row!]} />);
      expect(screen.getByRole("table").textContent).toMatch(/банковским переводом № 1842 — переведено 06\.12\.2026/);
      cleanup();
      await i18n.changeLanguage("en");
      render(<Statement rows={[row!]} />);
      expect(screen.getByRole("table").textContent).toMatch(/by bank transfer no\. 1842 — sent on \d/);
    });

    it("by card: the card provider's refund id is the detail to copy, and a cancellation names no note", () => {
      const card: LedgerRefundValue = {
        reason: "CANCELLED_BY_OPERATOR",
        method: "CARD",
        decision: { id: "ev2", note: "", createdAt: "2026-12-05T09:00:00Z" },
        cardRefundId: "re_3Qx",
        paymentInstruction: null,
      };
      const [row] = escrowStatement([refundLine(card, "re_3Qx")]);
      expect(row).toMatchObject({ reference: "re_3Qx", refund: { method: "CARD", transfer: null } });
      render(<Statement rows={[row!]} />);
      const cell = screen.getByRole("table").querySelectorAll("tbody td")[1]!;
      expect(cell.textContent).toContain("контракт отменён оператором биржи · на карту, с которой платили");
      expect(cell.textContent).toContain("(решение от ");
      expect(cell.textContent).not.toContain("«");
      expect(cell.querySelector("code")!.textContent).toBe("re_3Qx");
    });

    it("a late card payment given back says so; no decision, no transfer", () => {
      const late: LedgerRefundValue = { reason: "LATE_PAYMENT", method: "CARD", decision: null, cardRefundId: null };
      const [row] = escrowStatement([{ ...refundLine(late, "pending:1"), pending: true }]);
      expect(row).toMatchObject({ reference: "", pending: true, refund: { decision: null, transfer: null } });
      render(<Statement rows={[row!]} />);
      const text = screen.getByRole("table").textContent!;
      expect(text).toContain("платёж пришёл, когда контракт уже не ждал оплаты · на карту, с которой платили · проводится");
      expect(document.querySelector("[data-event-id]")).toBeNull();
    });

    it("reads in English too", async () => {
      await i18n.changeLanguage("en");
      const [row] = escrowStatement([refundLine(DECIDED)]);
      render(<Statement rows={[row!]} />);
      const text = screen.getByRole("table").textContent!;
      expect(text).toContain("Refund to the buyer · by the dispute's decision · by bank transfer — not yet sent by the operator");
      expect(text).toContain("“Доработка принята частично”");
    });
  });
});

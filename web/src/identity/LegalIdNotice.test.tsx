import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FragmentOf } from "../graphql";
import { LegalIdNotice, type LegalIdNoticeFragment } from "./LegalIdNotice";

const organisation = (fields: Record<string, unknown>) =>
  ({ legalId: "7700000001", legalIdKind: "INN", legalIdValid: false, legalDetails: null, ...fields }) as unknown as FragmentOf<
    typeof LegalIdNoticeFragment
  >;

afterEach(cleanup);

describe("LegalIdNotice", () => {
  it("says nothing when the API finds the stored number valid", () => {
    const { container } = render(<LegalIdNotice data={organisation({ legalIdValid: true })} onCorrect={vi.fn()} />);
    expect(container.textContent).toBe("");
  });

  it("names the number by its country and opens the correction", () => {
    const onCorrect = vi.fn();
    render(
      <LegalIdNotice data={organisation({ legalId: "10032591", legalIdKind: "UNP" })} onCorrect={onCorrect} />,
    );
    expect(screen.getByRole("status").textContent).toContain("УНП 10032591 не проходит проверку");
    fireEvent.click(screen.getByRole("button", { name: "Исправить номер" }));
    expect(onCorrect).toHaveBeenCalledTimes(1);
  });

  it("sends to the legal details when they are stated, whose ИНН replaces the number", () => {
    render(<LegalIdNotice data={organisation({ legalDetails: { inn: "7707083893" } })} onCorrect={vi.fn()} />);
    expect(screen.getByRole("status").textContent).toContain("Укажите верный ИНН в реквизитах ниже");
    expect(screen.queryByRole("button")).toBeNull();
  });
});

import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { FragmentOf } from "../graphql";
import { Deadline, type ContractDeadlineFragment } from "./Deadline";

const contract = (deadline: unknown) => ({ id: "1", deadline }) as unknown as FragmentOf<typeof ContractDeadlineFragment>;
const now = new Date("2026-12-05T09:00:00Z");

describe("Deadline", () => {
  it("says what the timer does, in how long and on which date", () => {
    render(<Deadline now={now} data={contract({ at: "2026-12-08T09:00:00Z", timer: "AUTO_ACCEPT", toStatus: "COMPLETED" })} />);
    const text = screen.getByText(/Партия будет принята автоматически/);
    expect(text.textContent).toContain("через 3 дня");
    expect(text.textContent).toContain("08.12.2026");
    expect(text.getAttribute("datetime")).toBe("2026-12-08T09:00:00Z");
  });

  it("says a passed deadline is being processed rather than counting backwards", () => {
    render(<Deadline now={now} data={contract({ at: "2026-12-04T09:00:00Z", timer: "FUNDING_EXPIRED", toStatus: "CANCELLED" })} />);
    const text = screen.getByText(/Контракт будет отменён без оплаты/);
    expect(text.textContent).toContain("срок прошёл");
    expect(text.textContent).not.toContain("назад");
  });

  it("shows nothing when no timer runs", () => {
    const { container } = render(<Deadline now={now} data={contract(null)} />);
    expect(container.textContent).toBe("");
  });
});

describe("untilDeadline", () => {
  it("counts whole days up to two months, hours within a day", async () => {
    const { untilDeadline } = await import("./Deadline");
    expect(untilDeadline("2026-12-15T09:00:00Z", "ru", now)).toBe("через 10 дней");
    expect(untilDeadline("2026-12-06T09:00:00Z", "en", now)).toBe("in 1 day");
    expect(untilDeadline("2026-12-05T14:00:00Z", "ru", now)).toBe("через 5 часов");
  });
});

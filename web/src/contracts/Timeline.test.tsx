import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { FragmentOf } from "../graphql";
import { Timeline, type ContractTimelineFragment } from "./Timeline";

const contract = (timeline: unknown[], events: unknown[] = []) =>
  ({ id: "Q29udHJhY3Q6MQ==", timeline, events }) as unknown as FragmentOf<typeof ContractTimelineFragment>;
const step = (status: string, state: string, reachedAt: string | null = null, reachedBy: string | null = null, reachedByName: string | null = null) => ({
  status,
  state,
  reachedAt,
  reachedBy,
  reachedByName,
});

afterEach(cleanup);

describe("Timeline", () => {
  it("draws the API's steps in its order, marks the current one and says who reached each", () => {
    render(
      <Timeline
        data={contract(
          [
            step("PENDING_FUNDING", "DONE", "2026-12-01T09:00:00+00:00", "BUYER", "Анна Петрова"),
            step("FUNDED", "DONE", "2026-12-02T09:00:00+00:00", "OPERATOR"),
            step("IN_PRODUCTION", "DONE", "2026-12-03T09:00:00+00:00", "MANUFACTURER", "Иван Сидоров"),
            step("FIRST_ARTICLE_REVIEW", "SKIPPED"),
            step("SHIPPED", "DONE", "2026-12-04T09:00:00+00:00", "MANUFACTURER", "Иван Сидоров"),
            step("INSPECTION", "DONE", "2026-12-05T09:00:00+00:00", "BUYER", "Анна Петрова"),
            step("DISPUTED", "CURRENT", "2026-12-06T09:00:00+00:00", "BUYER", "Анна Петрова"),
            step("COMPLETED", "UPCOMING"),
          ],
          [
            {
              id: "ev-1",
              transition: "dispute",
              actor: "BUYER",
              actorName: "Анна Петрова",
              note: "Царапины на 40 деталях",
              noteKind: "REASON",
              createdAt: "2026-12-06T09:00:00+00:00",
              organisation: { id: "1", name: "ООО «Заказчик»" },
            },
          ],
        )}
      />,
    );
    const steps = screen.getAllByTestId("timeline-step");
    expect(steps.map((item) => item.querySelector(".timeline-status")?.textContent)).toEqual([
      "Ожидает оплаты",
      "Оплачен",
      "В производстве",
      "Проверка первого образца",
      "Отгружен",
      "Приёмка",
      "Спор",
      "Завершён",
    ]);
    const current = steps.filter((item) => item.getAttribute("aria-current") === "step");
    expect(current).toHaveLength(1);
    expect(current[0]!.textContent).toContain("Спор");
    expect(current[0]!.textContent).toContain("Заказчик, Анна Петрова");
    expect(steps[1]!.textContent).toContain("Оператор биржи");
    expect(steps[3]!.className).toContain("timeline-skipped");
    expect(steps[3]!.textContent).toContain("Пропущено");
    expect(steps[7]!.textContent).toContain("Впереди");
    const log = screen.getByRole("group");
    expect(within(log).getByText("Открыт спор")).toBeTruthy();
    expect(within(log).getByText("Царапины на 40 деталях").textContent).toBe("Причина: Царапины на 40 деталях");
    expect((log as HTMLDetailsElement).open).toBe(false);
  });

  it("draws a first article review the API marks done after the current production step as done, not ahead", () => {
    // After the buyer approves the first article the contract is back in production — before the review on the
    // path — and the API says the review is done; the component draws what it says, in its order.
    render(
      <Timeline
        data={contract([
          step("PENDING_FUNDING", "DONE", "2026-12-01T09:00:00+00:00", "BUYER", "Анна Петрова"),
          step("FUNDED", "DONE", "2026-12-02T09:00:00+00:00", "OPERATOR"),
          step("IN_PRODUCTION", "CURRENT", "2026-12-05T09:00:00+00:00", "BUYER", "Анна Петрова"),
          step("FIRST_ARTICLE_REVIEW", "DONE", "2026-12-04T09:00:00+00:00", "MANUFACTURER", "Иван Сидоров"),
          step("SHIPPED", "UPCOMING"),
          step("INSPECTION", "UPCOMING"),
          step("COMPLETED", "UPCOMING"),
        ])}
      />,
    );
    const steps = screen.getAllByTestId("timeline-step");
    const review = steps[3]!;
    expect(review.querySelector(".timeline-status")?.textContent).toBe("Проверка первого образца");
    expect(review.className).toContain("timeline-done");
    expect(review.querySelector(".timeline-state")).toBeNull();
    expect(review.textContent).not.toContain("Впереди");
    expect(review.querySelector(".visually-hidden")?.textContent).toBe("(Пройдено)");
    expect(review.querySelector(".timeline-when")?.textContent).toMatch(/^04\.12\.2026.* · Производитель, Иван Сидоров$/);
    expect(steps[2]!.getAttribute("aria-current")).toBe("step");
    expect(steps[2]!.textContent).toContain("Заказчик, Анна Петрова");
    expect(steps[4]!.querySelector(".timeline-state")?.textContent?.trim()).toBe("Впереди");
  });

  it("draws a returned first article as ahead again, without a date", () => {
    render(
      <Timeline
        data={contract([
          step("IN_PRODUCTION", "CURRENT", "2026-12-05T09:00:00+00:00", "BUYER", "Анна Петрова"),
          step("FIRST_ARTICLE_REVIEW", "UPCOMING"),
        ])}
      />,
    );
    const review = screen.getAllByTestId("timeline-step")[1]!;
    expect(review.className).toContain("timeline-upcoming");
    expect(review.querySelector(".timeline-state")?.textContent?.trim()).toBe("Впереди");
    expect(review.querySelector(".timeline-when")).toBeNull();
  });

  it("tells who did what and when, newest first, each text labelled as what it is, the log open when asked", () => {
    const event = (id: string, transition: string, actor: string | null, actorName: string | null, note = "", noteKind: string | null = null, organisation: unknown = null) => ({
      id,
      transition,
      actor,
      actorName,
      note,
      noteKind,
      createdAt: `2026-12-0${id}T09:00:00+00:00`,
      organisation,
    });
    const maker = { id: "2", name: "ООО «Фреза»" };
    render(
      <Timeline
        logOpen
        data={contract(
          [step("SHIPPED", "DONE", "2026-12-02T09:00:00+00:00", "MANUFACTURER", "Иван Сидоров")],
          [
            event("1", "fund", "SYSTEM", null),
            event("2", "ship", "MANUFACTURER", "Иван Сидоров", "СДЭК 1029384756", "TRACKING_REFERENCE", maker),
            event("3", "resolve", "OPERATOR", "Ольга Оператор", "Брак подтверждён", "NOTE"),
          ],
        )}
      />,
    );
    const log = screen.getByRole("group") as HTMLDetailsElement;
    expect(log.open).toBe(true);
    const entries = within(log).getAllByRole("listitem");
    expect(entries.map((entry) => entry.querySelector("strong")?.textContent)).toEqual([
      "Спор разрешён",
      "Партия отгружена",
      "Оплата поступила на эскроу",
    ]);
    expect(entries[0]!.textContent).toContain("Оператор биржи, Ольга Оператор");
    expect(entries[0]!.querySelector(".history-note")?.textContent).toBe("Комментарий: Брак подтверждён");
    expect(entries[1]!.textContent).toContain("Производитель, Иван Сидоров (ООО «Фреза»)");
    expect(entries[1]!.textContent).toMatch(/02\.12\.2026/);
    expect(entries[1]!.querySelector(".history-note")?.textContent).toBe("Трек-номер: СДЭК 1029384756");
    expect(entries[2]!.querySelector(".history-note")).toBeNull();
  });
});

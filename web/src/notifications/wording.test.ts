import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { FragmentOf } from "../graphql";
import "../i18n";
import { messages } from "./messages";
import { wordNotification, type NotificationWordingFragment } from "./wording";

// The instants below are UTC; the wording shows them in the reader's zone (Moscow here, as in the browser tests).
beforeAll(() => {
  process.env.TZ = "Europe/Moscow";
});

/** The member types of one union in schema.graphql (what the API may send). */
function schemaUnion(name: string): string[] {
  const schema = readFileSync(resolve(process.cwd(), "../schema.graphql"), "utf8");
  const body = new RegExp(`union ${name} =([^\\n]*(\\n\\s*\\|[^\\n]*)*)`).exec(schema)?.[1] ?? "";
  return body
    .split("|")
    .map((member) => member.trim())
    .filter(Boolean);
}

// Intl separates thousands and currency signs with no-break spaces: compared as plain spaces.
const plain = (text: string) => text.replace(/\s/g, " ");

const word = (params: Record<string, unknown> | null, language: string, kind = "CONTRACT_UPDATED") => {
  const { title, body } = wordNotification(
    { kind, title: "English title", body: "English body", params } as unknown as FragmentOf<
      typeof NotificationWordingFragment
    >,
    language,
  );
  return { title: plain(title), body: plain(body) };
};

// One notification of each type (and the variants within a type), and its wording in Russian and in English. The
// e-mails word the same cases (tests/api/test_notification_wording.py): one table keeps the two from drifting.
interface WordingCase {
  params: Record<string, unknown>;
  ru: [string, string];
  en: [string, string];
}
const cases: [Record<string, unknown>, [string, string], [string, string]][] = (
  JSON.parse(readFileSync(resolve(process.cwd(), "src/notifications/wording.cases.json"), "utf8")) as WordingCase[]
).map(({ params, ru, en }) => [params, ru, en]);

describe("wordNotification", () => {
  it("has a case for every type the API may send, and Russian and English words for each", () => {
    const members = schemaUnion("NotificationParams");
    expect(members.length).toBe(19);
    expect([...new Set(cases.map(([params]) => params.__typename))].sort()).toEqual([...members].sort());
    const ru = messages.ru.notice as Record<string, unknown>;
    const en = messages.en.notice as Record<string, unknown>;
    for (const member of members) {
      expect(JSON.stringify(ru[member]), `ru for ${member}`).toMatch(/[а-яё]/i);
      expect(Object.keys(en[member] as object), `en for ${member}`).toEqual(Object.keys(ru[member] as object));
    }
  });

  it.each(cases)("words %o in Russian and English", (params, ru, en) => {
    const inRussian = word(params, "ru");
    const inEnglish = word(params, "en");
    expect([inRussian.title, inRussian.body]).toEqual(ru);
    expect([inEnglish.title, inEnglish.body]).toEqual(en);
    // No English, no ISO instants and no region codes on a Russian screen (titles and notes are the users' own).
    expect(inRussian.title + inRussian.body).not.toMatch(/\d{4}-\d\d-\d\dT|RU-[A-Z]{2,3}\b|English/);
  });

  it("words the variants: a bank's own reason, an other reason, a kept payment, the plurals, a visible review", () => {
    expect(word({ __typename: "CardPaymentFailedNotice", orderTitle: "Вал", bankReason: "Do not honor" }, "ru").body).toBe(
      "Ответ банка: Do not honor Контракт по-прежнему ждёт оплаты: оплатите снова или банковским переводом.",
    );
    expect(
      word({ __typename: "ChargebackClosedNotice", orderTitle: "Вал", lost: false, outcome: "won" }, "ru"),
    ).toEqual({
      title: "Спор банка по заказу «Вал» закрыт: платёж сохранён",
      body: "Платежи по контракту продолжаются как прежде.",
    });
    const days = (n: number) =>
      word(
        { __typename: "BidReceivedNotice", orderTitle: "Ф", total: { amount: "1.00", currency: "RUB" }, leadTimeDays: n },
        "ru",
      ).body;
    expect([days(1), days(3), days(5), days(21)]).toEqual([
      "1 ₽, срок изготовления — 1 день.",
      "1 ₽, срок изготовления — 3 дня.",
      "1 ₽, срок изготовления — 5 дней.",
      "1 ₽, срок изготовления — 21 день.",
    ]);
    expect(word({ __typename: "MessageReceivedNotice", excerpt: "Цвет анодирования?", attachmentCount: 1 }, "ru").body).toBe(
      "Цвет анодирования?",
    );
    expect(word({ __typename: "ReviewReceivedNotice", visibleNow: true }, "ru").body).toBe("Отзыв уже опубликован.");
    expect(
      word(
        { __typename: "ContractStepDueNotice", orderTitle: "В", status: "INSPECTION", dueAt: "2026-03-25T11:00:00Z" },
        "ru",
      ).body,
    ).toBe("Примите партию или откройте спор до 25.03.2026, 14:00, иначе партия будет принята автоматически.");
  });

  it("shows the API's English title and body for a notification without params or of a type it does not know", () => {
    expect(word(null, "ru")).toEqual({ title: "English title", body: "English body" });
    expect(word({ __typename: "SomeFutureNotice" }, "ru")).toEqual({ title: "English title", body: "English body" });
  });
});

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

// One notification of each type, and its wording in Russian and in English.
const cases: [Record<string, unknown>, [string, string], [string, string]][] = [
  [
    {
      __typename: "OrderMatchedNotice",
      orderTitle: "Кронштейн",
      searchName: "Фрезеровка",
      quantity: 12500,
      material: "Д16Т",
      deliveryRegion: "RU-SVE",
      biddingDeadline: "2026-12-13T06:51:46+00:00",
    },
    [
      "Новый заказ по поиску «Фрезеровка»: Кронштейн",
      "12 500 шт., Д16Т, доставка: Свердловская область; приём предложений до 13.12.2026, 09:51.",
    ],
    [
      "New order matching “Фрезеровка”: Кронштейн",
      "12,500 pcs, Д16Т, delivery to Sverdlovsk Oblast; bidding closes 13/12/2026, 09:51.",
    ],
  ],
  [
    {
      __typename: "BidReceivedNotice",
      orderTitle: "Фланец",
      total: { amount: "150000.00", currency: "RUB" },
      leadTimeDays: 22,
    },
    ["Новое предложение по заказу «Фланец»", "150 000 ₽, срок изготовления — 22 дня."],
    ["New bid on “Фланец”", "RUB 150,000, lead time 22 days."],
  ],
  [
    { __typename: "BidAwardedNotice", orderTitle: "Корпус", quantity: 1500 },
    ["Ваше предложение по заказу «Корпус» выбрано", "Контракт на 1 500 шт. ждёт, когда заказчик внесёт оплату на эскроу."],
    ["Your bid on “Корпус” was accepted", "The contract for 1,500 pcs awaits the buyer's funding of escrow."],
  ],
  [
    {
      __typename: "BidLostNotice",
      orderTitle: "Корпус",
      rankBand: "TOP_3",
      priceBand: "WITHIN_5_PCT",
      byUnitPrice: false,
      lostReason: "LEAD_TIME",
    },
    [
      "Заказ «Корпус» отдан другому предложению",
      "Ваше место по цене: в первой тройке. Сумма по сравнению с выбранным: в пределах 5%. " +
        "Причина, которую назвал заказчик: срок изготовления.",
    ],
    [
      "“Корпус” was awarded to another bid",
      "Your rank by price: top 3. Total against the winning bid: within 5%. The buyer's reason: lead time.",
    ],
  ],
  [
    { __typename: "ContractStepTakenNotice", orderTitle: "Корпус", transition: "ship", status: "SHIPPED" },
    ["Партия отгружена: заказ «Корпус»", "Статус контракта: отгружен."],
    ["Parts shipped: “Корпус”", "The contract is now: shipped."],
  ],
  [
    { __typename: "BidReinstatedNotice", orderTitle: "Корпус", validUntil: "2026-12-20" },
    [
      "Заказ «Корпус» снова открыт для выбора",
      "Выбранный контракт расторгнут, и ваше предложение снова рассматривается. Оно действует до 20.12.2026: " +
        "подтвердите его или отзовите.",
    ],
    [
      "“Корпус” is open for award again",
      "The awarded contract was cancelled and your bid is back in the running. It stands until 20/12/2026: " +
        "confirm it still holds, or withdraw it.",
    ],
  ],
  [
    { __typename: "AwardReopenedNotice", orderTitle: "Корпус", quantity: 2000, bidsReinstated: 3 },
    [
      "«Корпус»: снова можно выбрать исполнителя на 2 000 шт.",
      "Контракт расторгнут. Предложений, которые ещё действуют и могут быть выбраны: 3.",
    ],
    ["“Корпус”: 2,000 pcs to award again", "The contract was cancelled. Bids that still hold and can be awarded: 3."],
  ],
  [
    { __typename: "CardPaymentFailedNotice", orderTitle: "Вал", bankReason: "" },
    [
      "Оплата картой по заказу «Вал» не прошла",
      "Банк отклонил платёж. Контракт по-прежнему ждёт оплаты: оплатите снова или банковским переводом.",
    ],
    [
      "Card payment failed for “Вал”",
      "The bank declined the payment. The contract still awaits funding: pay again or by bank transfer.",
    ],
  ],
  [
    {
      __typename: "ChargebackOpenedNotice",
      orderTitle: "Вал",
      amount: { amount: "98765.40", currency: "RUB" },
      bankReason: "fraudulent",
    },
    [
      "Платёж по заказу «Вал» оспорен банком: выплаты заморожены",
      "Банк заказчика оспаривает 98 765,40 ₽. Пока спор не закрыт, с эскроу ничего не выплачивается. " +
        "Код причины: fraudulent.",
    ],
    [
      "Card chargeback on “Вал”: payments frozen",
      "The buyer's bank disputes RUB 98,765.40. Nothing is released from escrow until the chargeback closes. " +
        "Reason code: fraudulent.",
    ],
  ],
  [
    { __typename: "ChargebackClosedNotice", orderTitle: "Вал", lost: true, outcome: "lost" },
    [
      "Спор банка по заказу «Вал» закрыт: платёж возвращён",
      "Банк вернул платёж: урегулируйте контракт со сторонами (расторжение или решение спора).",
    ],
    [
      "Card chargeback on “Вал” closed: the payment was taken back",
      "The bank took the payment back: settle the contract with the parties (cancel or resolve).",
    ],
  ],
  [
    { __typename: "CardRefundRecordedNotice", orderTitle: "Вал", amount: { amount: "5000.00", currency: "RUB" } },
    [
      "Возврат через Stripe по заказу «Вал»",
      "5 000 ₽ возвращено заказчику вне биржи; эскроу это учло. Проверьте этапы контракта.",
    ],
    [
      "Refund made in Stripe on “Вал”",
      "RUB 5,000 went back to the buyer outside the exchange; escrow records it. Check the contract's milestones.",
    ],
  ],
  [
    { __typename: "ProviderPaymentGivenUpNotice", paymentKind: "payout", attempts: 5, lastError: "account closed" },
    [
      "Выплату не удалось провести через платёжного провайдера",
      "Неудачных попыток: 5, последний ответ: account closed. В разделе «Платежи» консоли оператора повторите его " +
        "(дважды он не пройдёт) или проведите вручную и отметьте решённым с причиной.",
    ],
    [
      "A payout could not be made through the payment provider",
      "5 attempts failed; the last answer: account closed. In the operator console's payments: retry it (it is " +
        "never paid twice), or make it by hand and mark it resolved with the reason.",
    ],
  ],
  [
    {
      __typename: "BiddingClosesSoonNotice",
      orderTitle: "Шестерня",
      biddingDeadline: "2026-03-25T11:00:00+00:00",
      invited: true,
    },
    [
      "Приём предложений по заказу «Шестерня» закрывается в течение суток",
      "Вас пригласили сделать предложение; приём закрывается 25.03.2026, 14:00.",
    ],
    ["Bidding on “Шестерня” closes within 24 hours", "You were invited to bid; bidding closes 25/03/2026, 14:00."],
  ],
  [
    {
      __typename: "ContractStepDueNotice",
      orderTitle: "Втулка",
      status: "PENDING_FUNDING",
      dueAt: "2026-03-25T11:00:00+00:00",
    },
    [
      "Контракт по заказу «Втулка»: срок вашего шага истекает в течение суток",
      "Внесите оплату на эскроу до 25.03.2026, 14:00, иначе контракт будет расторгнут.",
    ],
    [
      "Contract for “Втулка”: your step is due within 24 hours",
      "Fund escrow by 25/03/2026, 14:00, or the contract is cancelled.",
    ],
  ],
  [
    { __typename: "QuestionAskedNotice", orderTitle: "Корпус клапана", question: "Ревизия C окончательная?" },
    ["Вопрос по заказу «Корпус клапана»", "Ревизия C окончательная?"],
    ["A question on “Корпус клапана”", "Ревизия C окончательная?"],
  ],
  [
    {
      __typename: "QuestionAnsweredNotice",
      orderTitle: "Корпус клапана",
      question: "Ревизия C окончательная?",
      answer: "Да.",
    },
    ["Заказчик ответил на вопрос по заказу «Корпус клапана»", "Вопрос: Ревизия C окончательная? Ответ: Да."],
    ["A question on “Корпус клапана” was answered", "Q: Ревизия C окончательная? A: Да."],
  ],
  [
    { __typename: "MessageReceivedNotice", excerpt: "", attachmentCount: 3 },
    ["Новое сообщение по контракту", "3 вложения"],
    ["A new message on your contract", "3 attachments"],
  ],
  [
    { __typename: "ReviewReceivedNotice", visibleNow: false },
    [
      "О вас оставили отзыв по завершённому контракту",
      "Он станет виден, когда вы тоже оставите отзыв или закончится срок для отзывов.",
    ],
    ["You were reviewed on a completed contract", "It shows once you review too, or when the review period ends."],
  ],
  [
    {
      __typename: "OrderFileRevisedNotice",
      orderTitle: "Кронштейн",
      fileName: "bracket.step",
      revision: 3,
      note: "Отверстия Ø8",
    },
    ["Редакция 3 файла bracket.step: Кронштейн", "Отверстия Ø8"],
    ["Revision 3 of bracket.step: Кронштейн", "Отверстия Ø8"],
  ],
];

describe("wordNotification", () => {
  it("has a case for every type the API may send, and Russian and English words for each", () => {
    const members = schemaUnion("NotificationParams");
    expect(members.length).toBe(19);
    expect(cases.map(([params]) => params.__typename).sort()).toEqual([...members].sort());
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

// A notification in the reader's language: the API sends what it tells as typed params (NotificationParams: titles,
// Money, instants, region codes, contract steps) and the sentence is ours, with money, dates and numbers through
// Intl and regions, statuses and bands through their labels. The API's English title and body are shown only for a
// type this app does not know yet, or a notification written before params existed (params null).
import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "../i18n/format";

export const NotificationWordingFragment = graphql(`
  fragment NotificationWording on Notification {
    kind
    title
    body
    params {
      __typename
      ... on OrderMatchedNotice {
        orderTitle
        searchName
        quantity
        material
        deliveryRegion
        biddingDeadline
      }
      ... on BidReceivedNotice {
        orderTitle
        total {
          amount
          currency
        }
        leadTimeDays
      }
      ... on BidAwardedNotice {
        orderTitle
        quantity
      }
      ... on BidLostNotice {
        orderTitle
        rankBand
        priceBand
        byUnitPrice
        lostReason
      }
      ... on ContractStepTakenNotice {
        orderTitle
        transition
        status
      }
      ... on BidReinstatedNotice {
        orderTitle
        validUntil
      }
      ... on AwardReopenedNotice {
        orderTitle
        quantity
        bidsReinstated
      }
      ... on CardPaymentFailedNotice {
        orderTitle
        bankReason
      }
      ... on ChargebackOpenedNotice {
        orderTitle
        amount {
          amount
          currency
        }
        bankReason
      }
      ... on ChargebackClosedNotice {
        orderTitle
        lost
        outcome
      }
      ... on CardRefundRecordedNotice {
        orderTitle
        amount {
          amount
          currency
        }
      }
      ... on ProviderPaymentGivenUpNotice {
        paymentKind
        attempts
        lastError
      }
      ... on BiddingClosesSoonNotice {
        orderTitle
        biddingDeadline
        invited
      }
      ... on ContractStepDueNotice {
        orderTitle
        status
        dueAt
      }
      ... on QuestionAskedNotice {
        orderTitle
        question
      }
      ... on QuestionAnsweredNotice {
        orderTitle
        question
        answer
      }
      ... on MessageReceivedNotice {
        excerpt
        attachmentCount
      }
      ... on ReviewReceivedNotice {
        visibleNow
      }
      ... on OrderFileRevisedNotice {
        orderTitle
        fileName
        revision
        note
      }
    }
  }
`);

export interface Wording {
  title: string;
  body: string;
}

/** The notification's title and body in `language` ("ru" or "en"). */
export function wordNotification(data: FragmentOf<typeof NotificationWordingFragment>, language: string): Wording {
  const n = readFragment(NotificationWordingFragment, data);
  const p = n.params;
  const t = i18next.getFixedT(language, "notifications");
  const label = (name: string, value: string) =>
    i18next.getFixedT(language, "enums")(`${name}.${value}`, { defaultValue: value });
  const region = (code: string) => i18next.getFixedT(language, "regions")(code, { defaultValue: code });
  const step = (transition: string) =>
    i18next.getFixedT(language, "contracts")(`timeline.transition.${transition}`, { defaultValue: transition });
  const number = (value: number) => formatNumber(value, language);
  const at = (iso: string) => formatDateTime(iso, language);
  const w = (title: string, ...body: (string | false | null | undefined)[]): Wording => ({
    title,
    body: body.filter(Boolean).join(" "),
  });
  if (!p) return { title: n.title, body: n.body };
  switch (p.__typename) {
    case "OrderMatchedNotice":
      return w(
        t("notice.OrderMatchedNotice.title", { search: p.searchName, order: p.orderTitle }),
        t("notice.OrderMatchedNotice.body", {
          quantity: number(p.quantity),
          material: p.material,
          region: region(p.deliveryRegion),
          deadline: at(p.biddingDeadline),
        }),
      );
    case "BidReceivedNotice":
      return w(
        t("notice.BidReceivedNotice.title", { order: p.orderTitle }),
        t("notice.BidReceivedNotice.body", {
          total: formatMoney(p.total, language),
          days: t("notice.days", { count: p.leadTimeDays }),
        }),
      );
    case "BidAwardedNotice":
      return w(
        t("notice.BidAwardedNotice.title", { order: p.orderTitle }),
        t("notice.BidAwardedNotice.body", { quantity: number(p.quantity) }),
      );
    case "BidLostNotice":
      return w(
        t("notice.BidLostNotice.title", { order: p.orderTitle }),
        t("notice.BidLostNotice.body", {
          rank: label("RankBand", p.rankBand).toLowerCase(),
          basis: t(p.byUnitPrice ? "notice.BidLostNotice.unitPrice" : "notice.BidLostNotice.total"),
          band: label("PriceBand", p.priceBand).toLowerCase(),
        }),
        p.lostReason && t("notice.BidLostNotice.reason", { reason: label("LostReason", p.lostReason).toLowerCase() }),
      );
    case "ContractStepTakenNotice":
      return w(
        t("notice.ContractStepTakenNotice.title", { step: step(p.transition), order: p.orderTitle }),
        t("notice.ContractStepTakenNotice.body", { status: label("ContractStatus", p.status).toLowerCase() }),
      );
    case "BidReinstatedNotice":
      return w(
        t("notice.BidReinstatedNotice.title", { order: p.orderTitle }),
        t("notice.BidReinstatedNotice.body", { date: formatDate(p.validUntil, language) }),
      );
    case "AwardReopenedNotice":
      return w(
        t("notice.AwardReopenedNotice.title", { order: p.orderTitle, quantity: number(p.quantity) }),
        t("notice.AwardReopenedNotice.body", { bids: number(p.bidsReinstated) }),
      );
    case "CardPaymentFailedNotice":
      return w(
        t("notice.CardPaymentFailedNotice.title", { order: p.orderTitle }),
        p.bankReason
          ? t("notice.CardPaymentFailedNotice.bank", { reason: p.bankReason })
          : t("notice.CardPaymentFailedNotice.declined"),
        t("notice.CardPaymentFailedNotice.body"),
      );
    case "ChargebackOpenedNotice":
      return w(
        t("notice.ChargebackOpenedNotice.title", { order: p.orderTitle }),
        t("notice.ChargebackOpenedNotice.body", { amount: formatMoney(p.amount, language) }),
        p.bankReason && t("notice.ChargebackOpenedNotice.reason", { reason: p.bankReason }),
      );
    case "ChargebackClosedNotice":
      return w(
        t(p.lost ? "notice.ChargebackClosedNotice.titleLost" : "notice.ChargebackClosedNotice.titleKept", {
          order: p.orderTitle,
        }),
        t(p.lost ? "notice.ChargebackClosedNotice.bodyLost" : "notice.ChargebackClosedNotice.bodyKept"),
      );
    case "CardRefundRecordedNotice":
      return w(
        t("notice.CardRefundRecordedNotice.title", { order: p.orderTitle }),
        t("notice.CardRefundRecordedNotice.body", { amount: formatMoney(p.amount, language) }),
      );
    case "ProviderPaymentGivenUpNotice":
      return w(
        t(
          p.paymentKind === "payout" || p.paymentKind === "refund"
            ? `notice.ProviderPaymentGivenUpNotice.${p.paymentKind}`
            : "notice.ProviderPaymentGivenUpNotice.other",
        ),
        t("notice.ProviderPaymentGivenUpNotice.body", { attempts: number(p.attempts), error: p.lastError }),
      );
    case "BiddingClosesSoonNotice":
      return w(
        t("notice.BiddingClosesSoonNotice.title", { order: p.orderTitle }),
        t(p.invited ? "notice.BiddingClosesSoonNotice.invited" : "notice.BiddingClosesSoonNotice.body", {
          deadline: at(p.biddingDeadline),
        }),
      );
    case "ContractStepDueNotice": {
      const known = ["PENDING_FUNDING", "SHIPPED", "INSPECTION"].includes(p.status) ? p.status : "other";
      return w(
        t("notice.ContractStepDueNotice.title", { order: p.orderTitle }),
        t(`notice.ContractStepDueNotice.${known}`, { due: at(p.dueAt) }),
      );
    }
    case "QuestionAskedNotice":
      return w(
        t("notice.QuestionAskedNotice.title", { order: p.orderTitle }),
        t("notice.QuestionAskedNotice.body", { question: p.question }),
      );
    case "QuestionAnsweredNotice":
      return w(
        t("notice.QuestionAnsweredNotice.title", { order: p.orderTitle }),
        t("notice.QuestionAnsweredNotice.body", { question: p.question, answer: p.answer }),
      );
    case "MessageReceivedNotice":
      return w(
        t("notice.MessageReceivedNotice.title"),
        p.excerpt || t("notice.attachments", { count: p.attachmentCount }),
      );
    case "ReviewReceivedNotice":
      return w(
        t("notice.ReviewReceivedNotice.title"),
        t(p.visibleNow ? "notice.ReviewReceivedNotice.visible" : "notice.ReviewReceivedNotice.later"),
      );
    case "OrderFileRevisedNotice":
      return w(
        t("notice.OrderFileRevisedNotice.title", {
          revision: number(p.revision),
          file: p.fileName,
          order: p.orderTitle,
        }),
        p.note,
      );
    default:
      return { title: n.title, body: n.body };
  }
}

/** wordNotification in the page's current language. */
export function useNotificationWording(): (data: FragmentOf<typeof NotificationWordingFragment>) => Wording {
  const { i18n } = useTranslation();
  return (data) => wordNotification(data, i18n.language);
}

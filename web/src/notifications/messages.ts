const ru = {
  bell: {
    none: "Уведомления: непрочитанных нет",
    unread_one: "Уведомления: {{count}} непрочитанное",
    unread_few: "Уведомления: {{count}} непрочитанных",
    unread_many: "Уведомления: {{count}} непрочитанных",
    unread_other: "Уведомления: {{count}} непрочитанного",
    arrived: "Новое уведомление: {{title}}",
  },
  inbox: {
    title: "Уведомления",
    filter: "Какие показать",
    all: "Все",
    unread: "Непрочитанные",
    markAll: "Отметить все как прочитанные",
    markedAll: "Все уведомления прочитаны.",
    markRead: "Отметить прочитанным",
    markReadLabel: "Отметить прочитанным: {{title}}",
    new: "Новое",
    empty: "Уведомлений пока нет. Здесь появятся новые заказы по сохранённым поискам, предложения, решения по ним и события договоров.",
    emptyUnread: "Непрочитанных уведомлений нет.",
    settings: "Настройки уведомлений",
    savedSearches: "Сохранённые поиски",
  },
  // Each notification worded from its params (NotificationParams), one entry per type; the API's English title
  // is shown only for a type this app does not know yet, or a notification written before params existed.
  notice: {
    days_one: "{{count}} день",
    days_few: "{{count}} дня",
    days_many: "{{count}} дней",
    days_other: "{{count}} дня",
    attachments_one: "{{count}} вложение",
    attachments_few: "{{count}} вложения",
    attachments_many: "{{count}} вложений",
    attachments_other: "{{count}} вложения",
    OrderMatchedNotice: {
      title: "Новый заказ по поиску «{{search}}»: {{order}}",
      body: "{{quantity}} шт., {{material}}, доставка: {{region}}; приём предложений до {{deadline}}.",
    },
    BidReceivedNotice: {
      title: "Новое предложение по заказу «{{order}}»",
      body: "{{total}}, срок изготовления — {{days}}.",
    },
    BidAwardedNotice: {
      title: "Ваше предложение по заказу «{{order}}» выбрано",
      body: "Контракт на {{quantity}} шт. ждёт, когда заказчик внесёт оплату на эскроу.",
    },
    BidLostNotice: {
      title: "Заказ «{{order}}» отдан другому предложению",
      body: "Ваше место по цене: {{rank}}. {{basis}} по сравнению с выбранным: {{band}}.",
      total: "Сумма",
      unitPrice: "Цена за штуку",
      reason: "Причина, которую назвал заказчик: {{reason}}.",
    },
    ContractStepTakenNotice: {
      title: "{{step}}: заказ «{{order}}»",
      body: "Статус контракта: {{status}}.",
    },
    BidReinstatedNotice: {
      title: "Заказ «{{order}}» снова открыт для выбора",
      body: "Выбранный контракт расторгнут, и ваше предложение снова рассматривается. Оно действует до {{date}}: подтвердите его или отзовите.",
    },
    AwardReopenedNotice: {
      title: "«{{order}}»: снова можно выбрать исполнителя на {{quantity}} шт.",
      body: "Контракт расторгнут. Предложений, которые ещё действуют и могут быть выбраны: {{bids}}.",
    },
    CardPaymentFailedNotice: {
      title: "Оплата картой по заказу «{{order}}» не прошла",
      body: "Контракт по-прежнему ждёт оплаты: оплатите снова или банковским переводом.",
      bank: "Ответ банка: {{reason}}",
      declined: "Банк отклонил платёж.",
    },
    ChargebackOpenedNotice: {
      title: "Платёж по заказу «{{order}}» оспорен банком: выплаты заморожены",
      body: "Банк заказчика оспаривает {{amount}}. Пока спор не закрыт, с эскроу ничего не выплачивается.",
      reason: "Код причины: {{reason}}.",
    },
    ChargebackClosedNotice: {
      titleLost: "Спор банка по заказу «{{order}}» закрыт: платёж возвращён",
      titleKept: "Спор банка по заказу «{{order}}» закрыт: платёж сохранён",
      bodyLost: "Банк вернул платёж: урегулируйте контракт со сторонами (расторжение или решение спора).",
      bodyKept: "Платежи по контракту продолжаются как прежде.",
    },
    CardRefundRecordedNotice: {
      title: "Возврат через Stripe по заказу «{{order}}»",
      body: "{{amount}} возвращено заказчику вне биржи; эскроу это учло. Проверьте этапы контракта.",
    },
    ProviderPaymentGivenUpNotice: {
      payout: "Выплату не удалось провести через платёжного провайдера",
      refund: "Возврат не удалось провести через платёжного провайдера",
      other: "Платёж не удалось провести через платёжного провайдера",
      body: "Неудачных попыток: {{attempts}}, последний ответ: {{error}}. В разделе «Платежи» консоли оператора повторите его (дважды он не пройдёт) или проведите вручную и отметьте решённым с причиной.",
    },
    BiddingClosesSoonNotice: {
      title: "Приём предложений по заказу «{{order}}» закрывается в течение суток",
      body: "Приём предложений закрывается {{deadline}}.",
      invited: "Вас пригласили сделать предложение; приём закрывается {{deadline}}.",
    },
    ContractStepDueNotice: {
      title: "Контракт по заказу «{{order}}»: срок вашего шага истекает в течение суток",
      PENDING_FUNDING: "Внесите оплату на эскроу до {{due}}, иначе контракт будет расторгнут.",
      SHIPPED: "Подтвердите получение до {{due}}, иначе оно будет считаться подтверждённым.",
      INSPECTION: "Примите партию или откройте спор до {{due}}, иначе партия будет принята автоматически.",
      other: "Срок — {{due}}.",
    },
    QuestionAskedNotice: {
      title: "Вопрос по заказу «{{order}}»",
      body: "{{question}}",
    },
    QuestionAnsweredNotice: {
      title: "Заказчик ответил на вопрос по заказу «{{order}}»",
      body: "Вопрос: {{question}} Ответ: {{answer}}",
    },
    MessageReceivedNotice: {
      title: "Новое сообщение по контракту",
    },
    ReviewReceivedNotice: {
      title: "О вас оставили отзыв по завершённому контракту",
      visible: "Отзыв уже опубликован.",
      later: "Он станет виден, когда вы тоже оставите отзыв или закончится срок для отзывов.",
    },
    OrderFileRevisedNotice: {
      title: "Редакция {{revision}} файла {{file}}: {{order}}",
    },
  },
  settings: {
    title: "Настройки уведомлений",
    back: "К уведомлениям",
    email: "Письма на электронную почту",
    emailHint: "В ленте уведомлений видно всё. Отметьте, о чём также присылать письмо на {{email}}.",
    saved: "Настройка сохранена.",
  },
};

type Messages = typeof ru;

const en: Messages = {
  bell: {
    none: "Notifications: none unread",
    unread_one: "Notifications: {{count}} unread",
    unread_few: "Notifications: {{count}} unread",
    unread_many: "Notifications: {{count}} unread",
    unread_other: "Notifications: {{count}} unread",
    arrived: "New notification: {{title}}",
  },
  inbox: {
    title: "Notifications",
    filter: "Which to show",
    all: "All",
    unread: "Unread",
    markAll: "Mark all as read",
    markedAll: "All notifications are read.",
    markRead: "Mark as read",
    markReadLabel: "Mark as read: {{title}}",
    new: "New",
    empty: "No notifications yet. New orders matching your saved searches, bids, their outcomes and contract events will appear here.",
    emptyUnread: "No unread notifications.",
    settings: "Notification settings",
    savedSearches: "Saved searches",
  },
  notice: {
    days_one: "{{count}} day",
    days_few: "{{count}} days",
    days_many: "{{count}} days",
    days_other: "{{count}} days",
    attachments_one: "{{count}} attachment",
    attachments_few: "{{count}} attachments",
    attachments_many: "{{count}} attachments",
    attachments_other: "{{count}} attachments",
    OrderMatchedNotice: {
      title: "New order matching “{{search}}”: {{order}}",
      body: "{{quantity}} pcs, {{material}}, delivery to {{region}}; bidding closes {{deadline}}.",
    },
    BidReceivedNotice: {
      title: "New bid on “{{order}}”",
      body: "{{total}}, lead time {{days}}.",
    },
    BidAwardedNotice: {
      title: "Your bid on “{{order}}” was accepted",
      body: "The contract for {{quantity}} pcs awaits the buyer's funding of escrow.",
    },
    BidLostNotice: {
      title: "“{{order}}” was awarded to another bid",
      body: "Your rank by price: {{rank}}. {{basis}} against the winning bid: {{band}}.",
      total: "Total",
      unitPrice: "Unit price",
      reason: "The buyer's reason: {{reason}}.",
    },
    ContractStepTakenNotice: {
      title: "{{step}}: “{{order}}”",
      body: "The contract is now: {{status}}.",
    },
    BidReinstatedNotice: {
      title: "“{{order}}” is open for award again",
      body: "The awarded contract was cancelled and your bid is back in the running. It stands until {{date}}: confirm it still holds, or withdraw it.",
    },
    AwardReopenedNotice: {
      title: "“{{order}}”: {{quantity}} pcs to award again",
      body: "The contract was cancelled. Bids that still hold and can be awarded: {{bids}}.",
    },
    CardPaymentFailedNotice: {
      title: "Card payment failed for “{{order}}”",
      body: "The contract still awaits funding: pay again or by bank transfer.",
      bank: "The bank said: {{reason}}",
      declined: "The bank declined the payment.",
    },
    ChargebackOpenedNotice: {
      title: "Card chargeback on “{{order}}”: payments frozen",
      body: "The buyer's bank disputes {{amount}}. Nothing is released from escrow until the chargeback closes.",
      reason: "Reason code: {{reason}}.",
    },
    ChargebackClosedNotice: {
      titleLost: "Card chargeback on “{{order}}” closed: the payment was taken back",
      titleKept: "Card chargeback on “{{order}}” closed: the payment stands",
      bodyLost: "The bank took the payment back: settle the contract with the parties (cancel or resolve).",
      bodyKept: "Payments on the contract go on as before.",
    },
    CardRefundRecordedNotice: {
      title: "Refund made in Stripe on “{{order}}”",
      body: "{{amount}} went back to the buyer outside the exchange; escrow records it. Check the contract's milestones.",
    },
    ProviderPaymentGivenUpNotice: {
      payout: "A payout could not be made through the payment provider",
      refund: "A refund could not be made through the payment provider",
      other: "A payment could not be made through the payment provider",
      body: "{{attempts}} attempts failed; the last answer: {{error}}. In the operator console's payments: retry it (it is never paid twice), or make it by hand and mark it resolved with the reason.",
    },
    BiddingClosesSoonNotice: {
      title: "Bidding on “{{order}}” closes within 24 hours",
      body: "Bidding closes {{deadline}}.",
      invited: "You were invited to bid; bidding closes {{deadline}}.",
    },
    ContractStepDueNotice: {
      title: "Contract for “{{order}}”: your step is due within 24 hours",
      PENDING_FUNDING: "Fund escrow by {{due}}, or the contract is cancelled.",
      SHIPPED: "Confirm delivery by {{due}}, or it is taken as delivered.",
      INSPECTION: "Accept the delivery or open a dispute by {{due}}, or it is accepted automatically.",
      other: "Due {{due}}.",
    },
    QuestionAskedNotice: {
      title: "A question on “{{order}}”",
      body: "{{question}}",
    },
    QuestionAnsweredNotice: {
      title: "A question on “{{order}}” was answered",
      body: "Q: {{question}} A: {{answer}}",
    },
    MessageReceivedNotice: {
      title: "A new message on your contract",
    },
    ReviewReceivedNotice: {
      title: "You were reviewed on a completed contract",
      visible: "It is visible now.",
      later: "It shows once you review too, or when the review period ends.",
    },
    OrderFileRevisedNotice: {
      title: "Revision {{revision}} of {{file}}: {{order}}",
    },
  },
  settings: {
    title: "Notification settings",
    back: "Back to notifications",
    email: "E-mail",
    emailHint: "The inbox shows everything. Tick what should also be e-mailed to {{email}}.",
    saved: "Setting saved.",
  },
};

export const messages = { ru, en };

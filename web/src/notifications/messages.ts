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
  settings: {
    title: "Notification settings",
    back: "Back to notifications",
    email: "E-mail",
    emailHint: "The inbox shows everything. Tick what should also be e-mailed to {{email}}.",
    saved: "Setting saved.",
  },
};

export const messages = { ru, en };

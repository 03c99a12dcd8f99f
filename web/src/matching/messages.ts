// "Who fits" an order: recommended manufacturers with their scores explained, the excluded ones with the
// reason, a supplier search, and invitations.
const ru = {
  page: {
    title: "Кто подходит для заказа «{{title}}»",
    lead: "Производители, которые могут выполнить заказ, — лучшие первыми. Оценка складывается из показателей ниже; у каждого свой вес.",
    order: "Заказ",
    backToOrder: "К заказу",
    myOrders: "Мои заказы",
    notBuyer: "Подбор производителей видит только заказчик.",
    publicOrder: "Заказ открытый: его видят все производители, приглашения не нужны. Приглашать можно в заказы «Только приглашённые».",
    summary: "{{process}} · {{material}} · {{quantity}} шт.",
  },
  recommended: {
    title: "Рекомендуемые производители",
    count_one: "Подходит {{count}} производитель",
    count_few: "Подходят {{count}} производителя",
    count_many: "Подходят {{count}} производителей",
    count_other: "Подходят {{count}} производителя",
    none: "Пока никто не подходит: ни у кого нет нужной технологии, сертификатов или свободных мощностей к сроку.",
  },
  excluded: {
    title: "Не подходят",
    lead: "Производители с нужной технологией, которые не проходят другое условие заказа.",
    count_one: "{{count}} производитель не подходит",
    count_few: "{{count}} производителя не подходят",
    count_many: "{{count}} производителей не подходят",
    count_other: "{{count}} производителя не подходят",
    none: "Таких нет.",
    because: "Не проходит по условию: {{filter}}",
    details: "Подробно: {{reason}}",
  },
  score: {
    total: "Соответствие: {{points}} из 100",
    caption: "Из чего сложилась оценка {{name}}",
    factor: "Показатель",
    contribution: "Вклад в оценку",
    points: "Баллы",
    detail: "{{value}} × вес {{weight}}",
    pointsOf: "{{points}} из {{max}}",
  },
  factor: {
    capacity_slack: "Запас свободных мощностей",
    on_time: "Поставки в срок",
    dispute_free: "Работа без споров",
    region: "Близость к месту доставки",
    price: "Цена относительно бюджета",
    response: "Отвечает на приглашения",
    rating: "Отзывы заказчиков",
    lead_time: "Срок изготовления",
    reliability: "Надёжность",
  },
  invite: {
    invite: "Пригласить",
    inviteNamed: "Пригласить: {{name}}",
    invited: "Приглашён",
    working: "Приглашаем…",
  },
  search: {
    title: "Поиск производителей",
    lead: "Найдите и пригласите производителей, которых нет в подборе.",
  },
};

type Messages = typeof ru;

const en: Messages = {
  page: {
    title: "Who fits “{{title}}”",
    lead: "Manufacturers that can make this order, best first. The score adds up the factors below, each with its weight.",
    order: "Order",
    backToOrder: "Back to the order",
    myOrders: "My orders",
    notBuyer: "Only the buyer sees the matching manufacturers.",
    publicOrder: "This order is public: every manufacturer sees it, so it takes no invitations. Invitations are for invited-only orders.",
    summary: "{{process}} · {{material}} · {{quantity}} pcs",
  },
  recommended: {
    title: "Recommended manufacturers",
    count_one: "{{count}} manufacturer fits",
    count_few: "{{count}} manufacturers fit",
    count_many: "{{count}} manufacturers fit",
    count_other: "{{count}} manufacturers fit",
    none: "Nobody fits yet: nobody has the process, the certificates or free capacity in time.",
  },
  excluded: {
    title: "Do not fit",
    lead: "Manufacturers with the process that fail another condition of the order.",
    count_one: "{{count}} manufacturer does not fit",
    count_few: "{{count}} manufacturers do not fit",
    count_many: "{{count}} manufacturers do not fit",
    count_other: "{{count}} manufacturers do not fit",
    none: "None.",
    because: "Fails the condition: {{filter}}",
    details: "Details: {{reason}}",
  },
  score: {
    total: "Fit: {{points}} of 100",
    caption: "How {{name}} scored",
    factor: "Factor",
    contribution: "Contribution",
    points: "Points",
    detail: "{{value}} × weight {{weight}}",
    pointsOf: "{{points}} of {{max}}",
  },
  factor: {
    capacity_slack: "Spare capacity",
    on_time: "On-time delivery",
    dispute_free: "Free of disputes",
    region: "Close to delivery",
    price: "Price against budget",
    response: "Answers invitations",
    rating: "Buyers' reviews",
    lead_time: "Lead time",
    reliability: "Reliability",
  },
  invite: {
    invite: "Invite",
    inviteNamed: "Invite: {{name}}",
    invited: "Invited",
    working: "Inviting…",
  },
  search: {
    title: "Find manufacturers",
    lead: "Find and invite manufacturers the matching did not list.",
  },
};

export const messages = { ru, en };

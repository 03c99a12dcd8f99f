// "Who fits" an order: recommended manufacturers with their scores explained, the excluded ones with the
// reason, a supplier search, and invitations. Why a shop is excluded and how the machine hours were estimated
// come from the API as codes and figures (ExclusionReason, MachineHoursEstimate), rendered here.
import type { EnumOf } from "../i18n/enums";

/** One sentence per ExclusionReason: a value added to the schema without its sentence fails the build. */
type ExclusionSentences = Record<Extract<EnumOf<"ExclusionReason">, string>, string>;

const ruExclusion: ExclusionSentences = {
  PROCESS_NOT_LISTED: "В профиле нет технологии «{{process}}».",
  MATERIAL_NOT_LISTED: "В профиле нет материала «{{material}}».",
  QUANTITY_BELOW_MINIMUM: "Партия {{quantity}} шт. меньше минимальной в профиле — {{limit}} шт.",
  QUANTITY_ABOVE_MAXIMUM: "Партия {{quantity}} шт. больше максимальной в профиле — {{limit}} шт.",
  CERTIFICATION_MISSING: "Нужен сертификат {{standard}}, в профиле его нет.",
  CERTIFICATION_EXPIRES: "Сертификат {{standard}} истекает раньше срока поставки.",
  PART_TOO_LARGE: "Деталь {{part}} ({{source}}) не помещается ни в каком положении: самая большая деталь в профиле — {{largest}}.",
  CAPACITY_SHORT: "До срока поставки свободно {{free}} маш.-ч, а нужно {{required}} маш.-ч.",
};

const enExclusion: ExclusionSentences = {
  PROCESS_NOT_LISTED: "The profile does not list the process “{{process}}”.",
  MATERIAL_NOT_LISTED: "The profile does not list the material “{{material}}”.",
  QUANTITY_BELOW_MINIMUM: "A batch of {{quantity}} pcs is below the profile's minimum of {{limit}} pcs.",
  QUANTITY_ABOVE_MAXIMUM: "A batch of {{quantity}} pcs is above the profile's maximum of {{limit}} pcs.",
  CERTIFICATION_MISSING: "{{standard}} certification is required; the profile has none.",
  CERTIFICATION_EXPIRES: "The {{standard}} certificate expires before the need-by date.",
  PART_TOO_LARGE: "The part, {{part}} ({{source}}), does not fit in any orientation: the largest part the profile takes is {{largest}}.",
  CAPACITY_SHORT: "{{free}} machine hours free before the need-by date, {{required}} needed.",
};

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
    hoursGiven: "Трудоёмкость для подбора: {{hours}} маш.-ч — оценка заказчика.",
    hoursEstimated: "Трудоёмкость для подбора: {{hours}} маш.-ч — оценена по 3D-модели:",
    hoursFormula: "{{quantity}} шт. × ({{removed}} см³ снимаемого материала при {{rate}} см³/мин + {{handling}} мин на установку) = {{hours}} маш.-ч.",
    hoursUnknown: "Трудоёмкость не указана и не оценена: загрузка станков и цена проверяются без неё.",
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
    why: ruExclusion,
    sides: "{{sides}} мм",
    sidesOpen: "{{sides}} мм, остальные стороны не ограничены",
    sourceModel: "габариты модели {{name}}",
    sourceAnyModel: "габариты 3D-модели",
    sourceBuyer: "размеры от заказчика",
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
    leadNoInvite: "Найдите производителей, которых нет в подборе.",
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
    hoursGiven: "Machine hours used for matching: {{hours}} — the buyer's estimate.",
    hoursEstimated: "Machine hours used for matching: {{hours}} — estimated from the 3D model:",
    hoursFormula: "{{quantity}} pcs × ({{removed}} cm³ removed at {{rate}} cm³/min + {{handling}} min handling) = {{hours}} machine hours.",
    hoursUnknown: "No machine hours given or estimated: capacity and price are judged without them.",
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
    why: enExclusion,
    sides: "{{sides}} mm",
    sidesOpen: "{{sides}} mm, other sides unlimited",
    sourceModel: "the bounding box of the model {{name}}",
    sourceAnyModel: "the bounding box of the 3D model",
    sourceBuyer: "the buyer's figures",
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
    leadNoInvite: "Find manufacturers the matching did not list.",
  },
};

export const messages = { ru, en };

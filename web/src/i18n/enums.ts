// Human labels for the API's enum values, in both languages. Each table is typed by the schema's enum:
// a value added to schema.graphql without a label here fails the build.
import type { graphql } from "../graphql";

export type EnumOf<Name extends string> = ReturnType<typeof graphql.scalar<Name>>;

type Labels<Name extends string> = Record<Extract<EnumOf<Name>, string>, string>;

interface EnumLabels {
  Process: Labels<"Process">;
  CertificationStandard: Labels<"CertificationStandard">;
  OrderStatus: Labels<"OrderStatus">;
  BidStatus: Labels<"BidStatus">;
  ContractStatus: Labels<"ContractStatus">;
  ContractAction: Labels<"ContractAction">;
  ContractParty: Labels<"ContractParty">;
  ContractTimer: Labels<"ContractTimer">;
  DocumentKind: Labels<"DocumentKind">;
  DocumentLanguage: Labels<"DocumentLanguage">;
  TimelineStepState: Labels<"TimelineStepState">;
  OrganisationKind: Labels<"OrganisationKind">;
  MembershipKind: Labels<"MembershipKind">;
  ToleranceClass: Labels<"ToleranceClass">;
  Visibility: Labels<"Visibility">;
  NotificationKind: Labels<"NotificationKind">;
  LostReason: Labels<"LostReason">;
  Role: Labels<"Role">;
  OrderSort: Labels<"OrderSort">;
  OrganisationSort: Labels<"OrganisationSort">;
  MatchFilter: Labels<"MatchFilter">;
  PriceBand: Labels<"PriceBand">;
  RankBand: Labels<"RankBand">;
  BidActivityKind: Labels<"BidActivityKind">;
  TaxStatus: Labels<"TaxStatus">;
  VatTreatment: Labels<"VatTreatment">;
  PriceBasis: Labels<"PriceBasis">;
  SignatoryBasis: Labels<"SignatoryBasis">;
  EntityKind: Labels<"EntityKind">;
}

export const ru: EnumLabels = {
  DocumentKind: {
    CONTRACT: "Договор",
    ESCROW_INVOICE: "Счёт на оплату (эскроу)",
    CLOSING_ACT: "УПД / акт приёмки",
    FEE_INVOICE: "Счёт за услуги биржи",
  },
  DocumentLanguage: {
    RU: "русский",
    EN: "английский",
  },
  Process: {
    CNC_MILLING: "Фрезерование с ЧПУ",
    CNC_TURNING: "Токарная обработка с ЧПУ",
    EDM: "Электроэрозионная обработка",
    LASER_CUTTING: "Лазерная резка",
    WATERJET_CUTTING: "Гидроабразивная резка",
    SHEET_METAL: "Листовой металл",
    STAMPING: "Штамповка",
    INJECTION_MOLDING: "Литьё пластмасс под давлением",
    DIE_CASTING: "Литьё металлов под давлением",
    SAND_CASTING: "Литьё в песчаные формы",
    INVESTMENT_CASTING: "Литьё по выплавляемым моделям",
    FORGING: "Ковка",
    EXTRUSION: "Экструзия",
    WELDING: "Сварка",
    GRINDING: "Шлифование",
    SURFACE_FINISHING: "Покрытия и отделка",
    HEAT_TREATMENT: "Термообработка",
    THREE_D_PRINTING_FDM: "3D-печать FDM",
    THREE_D_PRINTING_SLA: "3D-печать SLA",
    THREE_D_PRINTING_SLS: "3D-печать SLS",
    THREE_D_PRINTING_MJF: "3D-печать MJF",
    THREE_D_PRINTING_DMLS: "3D-печать металлом DMLS",
    PCB_FABRICATION: "Изготовление печатных плат",
    PCB_ASSEMBLY: "Монтаж печатных плат",
    CABLE_HARNESS: "Кабельные сборки",
    ASSEMBLY: "Сборка",
  },
  CertificationStandard: {
    ISO_9001: "ISO 9001",
    ISO_14001: "ISO 14001",
    ISO_45001: "ISO 45001",
    AS9100: "AS9100",
    ISO_13485: "ISO 13485",
    IATF_16949: "IATF 16949",
    GOST_R_ISO_9001: "ГОСТ Р ИСО 9001",
    GOST_RV_0015_002: "ГОСТ РВ 0015-002",
    NADCAP: "Nadcap",
    IPC_A_610: "IPC-A-610",
    ITAR: "ITAR",
  },
  OrderStatus: {
    DRAFT: "Черновик",
    OPEN: "Приём предложений",
    AWARDED: "Исполнитель выбран",
    CANCELLED: "Отменён",
    EXPIRED: "Истёк",
  },
  BidStatus: {
    ACTIVE: "Действует",
    WITHDRAWN: "Отозвано",
    SUPERSEDED: "Заменено новой редакцией",
    ACCEPTED: "Принято",
    REJECTED: "Отклонено",
    EXPIRED: "Истекло",
  },
  ContractStatus: {
    PENDING_FUNDING: "Ожидает оплаты",
    FUNDED: "Оплачен",
    IN_PRODUCTION: "В производстве",
    FIRST_ARTICLE_REVIEW: "Проверка первого образца",
    SHIPPED: "Отгружен",
    INSPECTION: "Приёмка",
    DISPUTED: "Спор",
    COMPLETED: "Завершён",
    CANCELLED: "Отменён",
  },
  ContractAction: {
    FUND: "Оплатить",
    START_PRODUCTION: "Начать производство",
    SUBMIT_FIRST_ARTICLE: "Предъявить первый образец",
    APPROVE_FIRST_ARTICLE: "Принять первый образец",
    REJECT_FIRST_ARTICLE: "Вернуть первый образец",
    SHIP: "Отгрузить",
    CONFIRM_DELIVERY: "Подтвердить получение",
    ACCEPT: "Принять партию",
    OPEN_DISPUTE: "Открыть спор",
    RESOLVE_DISPUTE: "Разрешить спор",
    CANCEL: "Расторгнуть контракт",
    REVIEW: "Оставить отзыв",
  },
  ContractParty: {
    BUYER: "Заказчик",
    MANUFACTURER: "Производитель",
    OPERATOR: "Оператор биржи",
    SYSTEM: "Платёжная система",
    TIMER: "Автоматически по сроку",
  },
  ContractTimer: {
    FUNDING_EXPIRED: "Контракт будет отменён без оплаты",
    CONFIRM_DELIVERY: "Получение подтвердится автоматически",
    AUTO_ACCEPT: "Партия будет принята автоматически",
  },
  TimelineStepState: { DONE: "Пройдено", CURRENT: "Сейчас", UPCOMING: "Впереди", SKIPPED: "Пропущено" },
  OrganisationKind: { BUYER: "Заказчик", MANUFACTURER: "Производитель", BOTH: "Заказчик и производитель" },
  MembershipKind: { PARTICIPANT: "Участник", REGIONAL_PARTNER: "Региональный партнёр" },
  ToleranceClass: {
    PRECISION: "Прецизионный",
    FINE: "Точный (f)",
    MEDIUM: "Средний (m)",
    COARSE: "Грубый (c)",
    VERY_COARSE: "Очень грубый (v)",
  },
  Visibility: { PUBLIC: "Открытый", INVITED: "Только приглашённые" },
  NotificationKind: {
    ORDER_MATCHED: "Подходящий заказ",
    BID_RECEIVED: "Новое предложение",
    BID_AWARDED: "Предложение принято",
    BID_LOST: "Предложение не выбрано",
    CONTRACT_UPDATED: "Изменение по договору",
    DEADLINE_SOON: "Скоро срок",
    QUESTION_ASKED: "Новый вопрос",
    QUESTION_ANSWERED: "Ответ на вопрос",
    MESSAGE_RECEIVED: "Новое сообщение",
    REVIEW_RECEIVED: "Новый отзыв",
    ORDER_FILE_REVISED: "Новая ревизия файла",
  },
  LostReason: {
    PRICE: "Цена",
    LEAD_TIME: "Срок изготовления",
    TRACK_RECORD: "История работы",
    CAPABILITY: "Возможности",
    CERTIFICATIONS: "Сертификаты",
    LOCATION: "Расположение",
    TERMS: "Условия",
    OTHER: "Другое",
  },
  Role: { MEMBER: "Сотрудник", ADMIN: "Администратор" },
  OrderSort: { NEWEST: "Сначала новые", DEADLINE: "По сроку подачи", NEED_BY: "По сроку поставки" },
  OrganisationSort: { NEWEST: "Сначала новые", NAME: "По названию" },
  MatchFilter: {
    PROCESS: "Технология",
    MATERIAL: "Материал",
    QUANTITY: "Количество",
    CERTIFICATION: "Сертификаты",
    ENVELOPE: "Габариты детали",
    CAPACITY: "Свободные мощности",
  },
  PriceBand: {
    BELOW_WINNER: "Ниже победителя",
    WITHIN_5_PCT: "В пределах 5%",
    WITHIN_15_PCT: "В пределах 15%",
    WITHIN_30_PCT: "В пределах 30%",
    OVER_30_PCT: "Дороже более чем на 30%",
  },
  RankBand: { TOP_3: "В первой тройке", TOP_HALF: "В верхней половине", LOWER_HALF: "В нижней половине" },
  BidActivityKind: {
    PLACED: "Новое предложение",
    REVISED: "Предложение изменено",
    WITHDRAWN: "Предложение отозвано",
    REINSTATED: "Предложение снова в силе",
    CONFIRMED: "Предложение подтверждено",
  },
  TaxStatus: {
    NOT_STATED: "Не указан",
    VAT_GENERAL: "ОСНО, плательщик НДС",
    SIMPLIFIED_NO_VAT: "УСН без НДС",
    SIMPLIFIED_VAT_5: "УСН, НДС 5 %",
    SIMPLIFIED_VAT_7: "УСН, НДС 7 %",
    EXEMPT: "Освобождена от НДС",
  },
  VatTreatment: {
    VAT: "С НДС",
    REDUCED: "С НДС по пониженной ставке",
    SIMPLIFIED_NO_VAT: "Без НДС (УСН)",
    EXEMPT: "Без НДС (освобождение)",
    NOT_STATED: "НДС не указан",
  },
  PriceBasis: { GROSS: "с НДС", NET: "без НДС" },
  SignatoryBasis: {
    CHARTER: "Устав",
    POWER_OF_ATTORNEY: "Доверенность",
    EGRIP_RECORD: "Запись ЕГРИП (ИП подписывает сам)",
  },
  EntityKind: { LEGAL_ENTITY: "Юридическое лицо", SOLE_PROPRIETOR: "Индивидуальный предприниматель" },
};

export const en: EnumLabels = {
  DocumentKind: {
    CONTRACT: "Contract",
    ESCROW_INVOICE: "Escrow invoice",
    CLOSING_ACT: "Closing statement (act)",
    FEE_INVOICE: "Exchange fee invoice",
  },
  DocumentLanguage: {
    RU: "Russian",
    EN: "English",
  },
  Process: {
    CNC_MILLING: "CNC milling",
    CNC_TURNING: "CNC turning",
    EDM: "EDM",
    LASER_CUTTING: "Laser cutting",
    WATERJET_CUTTING: "Waterjet cutting",
    SHEET_METAL: "Sheet metal",
    STAMPING: "Stamping",
    INJECTION_MOLDING: "Injection moulding",
    DIE_CASTING: "Die casting",
    SAND_CASTING: "Sand casting",
    INVESTMENT_CASTING: "Investment casting",
    FORGING: "Forging",
    EXTRUSION: "Extrusion",
    WELDING: "Welding",
    GRINDING: "Grinding",
    SURFACE_FINISHING: "Surface finishing",
    HEAT_TREATMENT: "Heat treatment",
    THREE_D_PRINTING_FDM: "3D printing (FDM)",
    THREE_D_PRINTING_SLA: "3D printing (SLA)",
    THREE_D_PRINTING_SLS: "3D printing (SLS)",
    THREE_D_PRINTING_MJF: "3D printing (MJF)",
    THREE_D_PRINTING_DMLS: "Metal 3D printing (DMLS)",
    PCB_FABRICATION: "PCB fabrication",
    PCB_ASSEMBLY: "PCB assembly",
    CABLE_HARNESS: "Cable harnesses",
    ASSEMBLY: "Assembly",
  },
  CertificationStandard: {
    ISO_9001: "ISO 9001",
    ISO_14001: "ISO 14001",
    ISO_45001: "ISO 45001",
    AS9100: "AS9100",
    ISO_13485: "ISO 13485",
    IATF_16949: "IATF 16949",
    GOST_R_ISO_9001: "GOST R ISO 9001",
    GOST_RV_0015_002: "GOST RV 0015-002",
    NADCAP: "Nadcap",
    IPC_A_610: "IPC-A-610",
    ITAR: "ITAR",
  },
  OrderStatus: {
    DRAFT: "Draft",
    OPEN: "Open for bids",
    AWARDED: "Awarded",
    CANCELLED: "Cancelled",
    EXPIRED: "Expired",
  },
  BidStatus: {
    ACTIVE: "Active",
    WITHDRAWN: "Withdrawn",
    SUPERSEDED: "Superseded by a revision",
    ACCEPTED: "Accepted",
    REJECTED: "Rejected",
    EXPIRED: "Expired",
  },
  ContractStatus: {
    PENDING_FUNDING: "Awaiting funding",
    FUNDED: "Funded",
    IN_PRODUCTION: "In production",
    FIRST_ARTICLE_REVIEW: "First article review",
    SHIPPED: "Shipped",
    INSPECTION: "Inspection",
    DISPUTED: "Disputed",
    COMPLETED: "Completed",
    CANCELLED: "Cancelled",
  },
  ContractAction: {
    FUND: "Pay",
    START_PRODUCTION: "Start production",
    SUBMIT_FIRST_ARTICLE: "Submit the first article",
    APPROVE_FIRST_ARTICLE: "Approve the first article",
    REJECT_FIRST_ARTICLE: "Reject the first article",
    SHIP: "Ship",
    CONFIRM_DELIVERY: "Confirm delivery",
    ACCEPT: "Accept the parts",
    OPEN_DISPUTE: "Open a dispute",
    RESOLVE_DISPUTE: "Resolve the dispute",
    CANCEL: "Cancel the contract",
    REVIEW: "Write a review",
  },
  ContractParty: {
    BUYER: "Buyer",
    MANUFACTURER: "Manufacturer",
    OPERATOR: "Exchange operator",
    SYSTEM: "Payment system",
    TIMER: "Automatically, on the deadline",
  },
  ContractTimer: {
    FUNDING_EXPIRED: "The contract is cancelled unless paid",
    CONFIRM_DELIVERY: "Delivery is confirmed automatically",
    AUTO_ACCEPT: "The parts are accepted automatically",
  },
  TimelineStepState: { DONE: "Done", CURRENT: "Now", UPCOMING: "Ahead", SKIPPED: "Skipped" },
  OrganisationKind: { BUYER: "Buyer", MANUFACTURER: "Manufacturer", BOTH: "Buyer and manufacturer" },
  MembershipKind: { PARTICIPANT: "Participant", REGIONAL_PARTNER: "Regional partner" },
  ToleranceClass: {
    PRECISION: "Precision",
    FINE: "Fine (f)",
    MEDIUM: "Medium (m)",
    COARSE: "Coarse (c)",
    VERY_COARSE: "Very coarse (v)",
  },
  Visibility: { PUBLIC: "Public", INVITED: "Invited only" },
  NotificationKind: {
    ORDER_MATCHED: "Matching order",
    BID_RECEIVED: "New bid",
    BID_AWARDED: "Bid awarded",
    BID_LOST: "Bid not selected",
    CONTRACT_UPDATED: "Contract update",
    DEADLINE_SOON: "Deadline soon",
    QUESTION_ASKED: "New question",
    QUESTION_ANSWERED: "Question answered",
    MESSAGE_RECEIVED: "New message",
    REVIEW_RECEIVED: "New review",
    ORDER_FILE_REVISED: "File revised",
  },
  LostReason: {
    PRICE: "Price",
    LEAD_TIME: "Lead time",
    TRACK_RECORD: "Track record",
    CAPABILITY: "Capability",
    CERTIFICATIONS: "Certifications",
    LOCATION: "Location",
    TERMS: "Terms",
    OTHER: "Other",
  },
  Role: { MEMBER: "Member", ADMIN: "Admin" },
  OrderSort: { NEWEST: "Newest first", DEADLINE: "Bidding deadline", NEED_BY: "Need-by date" },
  OrganisationSort: { NEWEST: "Newest first", NAME: "Name" },
  MatchFilter: {
    PROCESS: "Process",
    MATERIAL: "Material",
    QUANTITY: "Quantity",
    CERTIFICATION: "Certifications",
    ENVELOPE: "Part size",
    CAPACITY: "Free capacity",
  },
  PriceBand: {
    BELOW_WINNER: "Below the winner",
    WITHIN_5_PCT: "Within 5%",
    WITHIN_15_PCT: "Within 15%",
    WITHIN_30_PCT: "Within 30%",
    OVER_30_PCT: "Over 30% above",
  },
  RankBand: { TOP_3: "Top 3", TOP_HALF: "Top half", LOWER_HALF: "Lower half" },
  BidActivityKind: {
    PLACED: "New bid",
    REVISED: "Bid revised",
    WITHDRAWN: "Bid withdrawn",
    REINSTATED: "Bid back in the running",
    CONFIRMED: "Bid confirmed",
  },
  TaxStatus: {
    NOT_STATED: "Not stated",
    VAT_GENERAL: "General system, VAT payer",
    SIMPLIFIED_NO_VAT: "Simplified system, no VAT",
    SIMPLIFIED_VAT_5: "Simplified system, VAT 5 %",
    SIMPLIFIED_VAT_7: "Simplified system, VAT 7 %",
    EXEMPT: "Exempt from VAT",
  },
  VatTreatment: {
    VAT: "VAT included",
    REDUCED: "VAT included, reduced rate",
    SIMPLIFIED_NO_VAT: "No VAT (simplified system)",
    EXEMPT: "No VAT (exempt)",
    NOT_STATED: "VAT not stated",
  },
  PriceBasis: { GROSS: "with VAT", NET: "without VAT" },
  SignatoryBasis: {
    CHARTER: "Charter",
    POWER_OF_ATTORNEY: "Power of attorney",
    EGRIP_RECORD: "EGRIP record (the proprietor signs)",
  },
  EntityKind: { LEGAL_ENTITY: "Legal entity", SOLE_PROPRIETOR: "Sole proprietor" },
};

export type EnumName = keyof EnumLabels;

/** The enum's values in the schema's order (the label tables are complete by type). */
export function enumValues<Name extends EnumName>(name: Name): EnumOf<Name>[] {
  return Object.keys(ru[name]) as EnumOf<Name>[];
}

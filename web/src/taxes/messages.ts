// VAT under an amount: «в т. ч. НДС 22 %», «без НДС», net and VAT as the API worked them out.
const ru = {
  vatIncluded: "в т. ч. НДС {{rate}} %: {{vat}}",
  net: "без НДС: {{net}}",
  noVat: "без НДС",
  notStated: "НДС не указан",
  vatLine: "НДС {{rate}} %",
  status: {
    title: "Налоги",
    label: "Налоговый режим",
    prices: "Цены в предложениях",
    checked: "проверен оператором {{date}}",
    unchecked: "ждёт проверки оператором",
    notStated: "не указан",
    save: "Сохранить налоговый режим",
    saved: "Налоговый режим сохранён: новые предложения будут с ним.",
    hint: "От режима зависит, включают ли ваши цены НДС и по какой ставке. Оператор сверит его с данными ФНС.",
  },
  terms: {
    vat: "Ваши цены включают НДС {{rate}} % — указывайте их с НДС.",
    noVat: "Ваша организация не платит НДС: цены указываются без НДС.",
    notStated: "Налоговый режим организации не указан: укажите его в профиле компании, чтобы цены показывались с НДС или без.",
  },
};

type Messages = typeof ru;

const en: Messages = {
  vatIncluded: "incl. VAT {{rate}} %: {{vat}}",
  net: "net of VAT: {{net}}",
  noVat: "no VAT",
  notStated: "VAT not stated",
  vatLine: "VAT {{rate}} %",
  status: {
    title: "Taxes",
    label: "Tax status",
    prices: "Prices in bids",
    checked: "checked by an operator on {{date}}",
    unchecked: "awaiting an operator's check",
    notStated: "not stated",
    save: "Save the tax status",
    saved: "Tax status saved: new bids will carry it.",
    hint: "Your tax status decides whether your prices include VAT and at which rate. An operator checks it against the tax register.",
  },
  terms: {
    vat: "Your prices include VAT at {{rate}} %: enter them with VAT.",
    noVat: "Your organisation does not charge VAT: enter prices without VAT.",
    notStated: "Your organisation's tax status is not stated: set it on the company page so prices show with or without VAT.",
  },
};

export const messages = { ru, en };

// i18next with Russian first and English second. Each area keeps its strings in its own messages.ts
// (a namespace); enum and region labels are namespaces too. Plurals use Intl.PluralRules (_one/_few/_many).
import i18next, { type Resource, type ResourceLanguage } from "i18next";
import { initReactI18next } from "react-i18next";
import { messages as common } from "../ui/messages";
import { messages as identity } from "../identity/messages";
import { messages as directory } from "../directory/messages";
import { messages as board } from "../board/messages";
import { messages as orderDetail } from "../orders/detail/messages";
import { messages as bids } from "../bids/messages";
import { messages as buyerOrders } from "../orders/buyer/messages";
import { messages as matching } from "../matching/messages";
import { messages as profile } from "../profile/messages";
import { messages as notifications } from "../notifications/messages";
import { messages as savedSearches } from "../savedSearches/messages";
import { messages as payments } from "../payments/messages";
import { messages as operator } from "../operator/messages";
import { messages as contracts } from "../contracts/messages";
import { messages as files } from "../files/messages";
import { messages as taxes } from "../taxes/messages";
import { messages as errors } from "../errors/messages";
import { en as enumsEn, ru as enumsRu } from "./enums";
import { REGIONS } from "./regions";

export const LANGUAGES = ["ru", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

const areas = {
  common,
  identity,
  directory,
  board,
  orderDetail,
  bids,
  buyerOrders,
  matching,
  profile,
  notifications,
  savedSearches,
  payments,
  operator,
  contracts,
  files,
  taxes,
  errors,
} as const;

const LANGUAGE_KEY = "exchange.lang";

function initialLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_KEY);
    if (stored === "ru" || stored === "en") return stored;
  } catch {
    // no storage: fall through to the default
  }
  return "ru";
}

function resources(language: Language): ResourceLanguage {
  const namespaces: ResourceLanguage = {};
  for (const [name, area] of Object.entries(areas)) namespaces[name] = area[language] as unknown as ResourceLanguage[string];
  namespaces.enums = (language === "ru" ? enumsRu : enumsEn) as unknown as ResourceLanguage[string];
  namespaces.regions = Object.fromEntries(Object.entries(REGIONS).map(([code, names]) => [code, names[language]]));
  return namespaces;
}

export function setupI18n(language: Language = initialLanguage()) {
  void i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: "ru",
    supportedLngs: [...LANGUAGES],
    defaultNS: "common",
    ns: [...Object.keys(areas), "enums", "regions"],
    resources: { ru: resources("ru"), en: resources("en") } satisfies Resource,
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = language;
  return i18next;
}

export function changeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // the choice lasts for this page only
  }
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

export default i18next;

// The header's language switch: the page changes at once; signed in, the choice is also saved to the account.
import { useTranslation } from "react-i18next";
import { LANGUAGES, type Language } from "./index";
import { useLanguageChoice } from "./accountLanguage";

export function LanguageSwitch() {
  const { t } = useTranslation();
  const { language, choose } = useLanguageChoice();
  return (
    <label className="language">
      <span className="visually-hidden">{t("nav.language")}</span>
      <select value={language} onChange={(event) => void choose(event.target.value as Language)}>
        {LANGUAGES.map((option) => (
          <option key={option} value={option} lang={option}>
            {option.toUpperCase()}
          </option>
        ))}
      </select>
    </label>
  );
}

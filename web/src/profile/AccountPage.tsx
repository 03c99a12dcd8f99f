// The person's own account: who they are, and the language the exchange speaks to them in (on screen after
// sign-in, and in their e-mails), saved to the account as it is chosen.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LANGUAGES, type Language } from "../i18n";
import { useLanguageChoice } from "../i18n/accountLanguage";
import { useViewer } from "../identity/AuthProvider";
import { ErrorSummary, type UserErrorLike } from "../ui/forms";
import { Loading } from "../ui/States";

export function AccountPage() {
  const { t } = useTranslation("profile");
  const { viewer, fetching } = useViewer();
  const { language, choose } = useLanguageChoice();
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<UserErrorLike | null>(null);
  if (fetching || !viewer) return <Loading />;

  async function change(next: Language) {
    setSaved(false);
    setError(null);
    const outcome = await choose(next);
    setSaved(outcome.saved);
    setError(outcome.error);
  }

  return (
    <section className="narrow">
      <h1>{t("account.title")}</h1>
      <dl className="facts">
        <dt>{t("account.name")}</dt>
        <dd>{viewer.fullName}</dd>
        <dt>{t("account.email")}</dt>
        <dd>
          {viewer.email} <span className="muted">({t(viewer.emailVerified ? "account.verified" : "account.unverified")})</span>
        </dd>
      </dl>
      <ErrorSummary form="account-language" error={error} />
      <fieldset className="field" id="account-language-language" aria-describedby="account-language-hint">
        <legend>{t("account.language")}</legend>
        <p className="hint" id="account-language-hint">
          {t("account.languageHint", { email: viewer.email })}
        </p>
        <div className="radios">
          {LANGUAGES.map((option) => (
            <label className="checkbox" key={option}>
              <input
                type="radio"
                name="language"
                value={option}
                checked={language === option}
                onChange={() => void change(option)}
              />
              <span lang={option}>{t(`account.languages.${option}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div aria-live="polite">
        {saved ? (
          <p className="success" role="status">
            {t("account.saved")}
          </p>
        ) : null}
      </div>
      <p>
        <Link to="/notifications/settings">{t("account.notificationSettings")}</Link>
      </p>
    </section>
  );
}

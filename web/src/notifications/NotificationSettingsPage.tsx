// Which kinds of notification also come by e-mail (the inbox always gets them): one switch per kind,
// saved as it is changed.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql } from "../graphql";
import type { EnumOf } from "../i18n/enums";
import { useLabels } from "../i18n/labels";
import { useViewer } from "../identity/AuthProvider";
import { ErrorSummary, userErrorOf, type UserErrorLike } from "../ui/forms";
import { LoadError, Loading } from "../ui/States";
import { NotificationPreferencesQuery } from "./documents";
import { UserErrorFragment } from "../errors/userError";

const SetPreferenceMutation = graphql(
  `
    mutation SetNotificationPreference($kind: NotificationKind!, $email: Boolean!) {
      setNotificationPreference(kind: $kind, email: $email) {
        __typename
        ... on NotificationPreferencesSuccess {
          preferences {
            kind
            email
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function NotificationSettingsPage() {
  const { t } = useTranslation("notifications");
  const { label } = useLabels();
  const { viewer } = useViewer();
  const [result, refetch] = useQuery({ query: NotificationPreferencesQuery });
  const [, setPreference] = useMutation(SetPreferenceMutation);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [saved, setSaved] = useState(false);
  // The choice shows at once; the API's answer replaces it (./cache.ts), or it goes back if refused.
  const [chosen, setChosen] = useState<Partial<Record<EnumOf<"NotificationKind">, boolean>>>({});
  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !result.data)
    return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const preferences = result.data?.notificationPreferences ?? [];

  async function change(kind: EnumOf<"NotificationKind">, email: boolean) {
    setSaved(false);
    setError(null);
    setChosen((current) => ({ ...current, [kind]: email }));
    const outcome = await setPreference({ kind, email });
    const payload = outcome.data?.setNotificationPreference;
    setChosen(({ [kind]: _, ...rest }) => rest);
    if (payload?.__typename === "NotificationPreferencesSuccess") setSaved(true);
    else setError(userErrorOf(payload) ?? (outcome.error ? { message: outcome.error.message } : null));
  }

  return (
    <section className="narrow">
      <p>
        <Link to="/notifications">← {t("settings.back")}</Link>
      </p>
      <h1>{t("settings.title")}</h1>
      <ErrorSummary form="notification-settings" error={error} />
      <fieldset aria-describedby="notification-settings-hint">
        <legend>{t("settings.email")}</legend>
        <p className="hint" id="notification-settings-hint">
          {t("settings.emailHint", { email: viewer?.email ?? "" })}
        </p>
        {preferences.map((preference) => (
          <label className="checkbox" key={preference.kind}>
            <input
              type="checkbox"
              checked={chosen[preference.kind] ?? preference.email}
              onChange={(event) => change(preference.kind, event.target.checked)}
            />
            {label("NotificationKind", preference.kind)}
          </label>
        ))}
      </fieldset>
      <div aria-live="polite">
        {saved ? (
          <p className="success" role="status">
            {t("settings.saved")}
          </p>
        ) : null}
      </div>
    </section>
  );
}

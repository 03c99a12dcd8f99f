// The language on the account: a signed-in person's choice is saved to it (setMyLanguage), and after sign-in the
// app takes it, so that the web app and the e-mails read the same language on every device. Signed out, the
// choice lives in this browser only (changeLanguage keeps it in localStorage).
import { useCallback, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { UserErrorFragment, userErrorOf, type UserErrorLike } from "../errors/userError";
import { graphql } from "../graphql";
import { useAuth } from "../identity/AuthProvider";
import { changeLanguage, LANGUAGES, type Language } from "./index";

export const SetMyLanguageMutation = graphql(
  `
    mutation SetMyLanguage($language: Language!) {
      setMyLanguage(language: $language) {
        __typename
        ... on SetMyLanguageSuccess {
          user {
            id
            language
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

type ApiLanguage = "RU" | "EN";

/** The API's Language as the app's ("EN" → "en"); null for one this build does not have. */
export function fromApi(language: string | null | undefined): Language | null {
  const lower = language?.toLowerCase();
  return LANGUAGES.find((known) => known === lower) ?? null;
}

export function toApi(language: Language): ApiLanguage {
  return language.toUpperCase() as ApiLanguage;
}

/** What became of a choice: `saved` to the account (false when signed out: it is this browser's only), or the
 * refusal, in which case the page keeps the language chosen and the account its own. */
export interface LanguageChoice {
  saved: boolean;
  error: UserErrorLike | null;
}

/** The page's language and a way to choose another: at once on screen, and saved to the account when signed in. */
export function useLanguageChoice(): { language: Language; choose: (language: Language) => Promise<LanguageChoice> } {
  const { i18n } = useTranslation();
  const { token } = useAuth();
  const [, save] = useMutation(SetMyLanguageMutation);
  const choose = useCallback(
    async (language: Language): Promise<LanguageChoice> => {
      changeLanguage(language);
      if (!token) return { saved: false, error: null };
      const result = await save({ language: toApi(language) });
      const payload = result.data?.setMyLanguage;
      if (payload?.__typename === "SetMyLanguageSuccess") return { saved: true, error: null };
      return { saved: false, error: userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null) };
    },
    [token, save],
  );
  return { language: fromApi(i18n.language) ?? "ru", choose };
}

/** Take the account's language once it is known (after sign-in, on load) and whenever it changes on the account. */
export function useAccountLanguage(accountLanguage: string | null | undefined): void {
  const { i18n } = useTranslation();
  const wanted = fromApi(accountLanguage);
  useEffect(() => {
    if (wanted && wanted !== i18n.language) changeLanguage(wanted);
    // Only the account's value: a choice made here is saved first, and then arrives as the account's.
  }, [wanted]);
}

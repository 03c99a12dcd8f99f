// A signed-in person whose address is not confirmed yet: say so on every screen, with a way to get the e-mail again.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql } from "../graphql";
import { ErrorText, userErrorOf, type UserErrorLike } from "../ui/forms";
import { useViewer } from "./AuthProvider";
import { UserErrorFragment } from "../errors/userError";

const RequestEmailVerificationMutation = graphql(
  `
    mutation RequestEmailVerification {
      requestEmailVerification {
        __typename
        ... on RequestEmailVerificationSuccess {
          user {
            id
            emailVerified
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function EmailVerificationBanner() {
  const { t } = useTranslation("identity");
  const { viewer } = useViewer();
  const [state, request] = useMutation(RequestEmailVerificationMutation);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<UserErrorLike | null>(null);
  if (!viewer) return null;

  async function resend() {
    const result = await request({});
    const payload = result.data?.requestEmailVerification;
    const refusal = userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null);
    setError(refusal);
    setSent(!refusal);
  }

  return (
    // Not a live region: it is there on every screen, and a screen reader should not announce it on each one.
    <div className="notice verify-banner">
      <p>{t("verify.banner", { email: viewer.email })}</p>
      {sent ? <p role="status">{t("verify.resent")}</p> : null}
      {error ? (
        <p className="field-error">
          <ErrorText error={error} />
        </p>
      ) : null}
      {!sent ? (
        <button type="button" className="link" onClick={resend} disabled={state.fetching}>
          {t("verify.resend")}
        </button>
      ) : null}
    </div>
  );
}

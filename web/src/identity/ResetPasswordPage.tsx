// /reset-password: ask for a link by e-mail; /reset-password?token=…: the link from it, to set a new password.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { graphql } from "../graphql";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { UserErrorFragment } from "../errors/userError";

const RequestPasswordResetMutation = graphql(
  `
    mutation RequestPasswordReset($email: String!) {
      requestPasswordReset(email: $email) {
        __typename
        ... on RequestPasswordResetSuccess {
          email
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

const ResetPasswordMutation = graphql(
  `
    mutation ResetPassword($token: String!, $newPassword: String!) {
      resetPassword(token: $token, newPassword: $newPassword) {
        __typename
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  return token ? <SetNewPassword token={token} /> : <RequestLink />;
}

function RequestLink() {
  const { t } = useTranslation("identity");
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, request] = useMutation(RequestPasswordResetMutation);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await request({ email });
    const payload = result.data?.requestPasswordReset;
    const refusal = userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null);
    setError(refusal);
    if (payload?.__typename === "RequestPasswordResetSuccess") setSentTo(payload.email);
  }

  return (
    <section className="narrow">
      <h1>{t("reset.title")}</h1>
      {sentTo ? (
        <>
          <p className="notice success" role="status">
            {t("reset.sent", { email: sentTo })}
          </p>
          <p>
            <Link to="/sign-in">{t("reset.backToSignIn")}</Link>
          </p>
        </>
      ) : (
        <>
          <p>{t("reset.intro")}</p>
          <ErrorSummary form="reset-request" error={error} />
          <form onSubmit={submit} noValidate>
            <Field form="reset-request" name="email" label={t("reset.email")} error={error}>
              {(props) => (
                <input
                  {...props}
                  type="email"
                  autoComplete="email"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                />
              )}
            </Field>
            <button type="submit" className="primary" disabled={state.fetching}>
              {t("reset.send")}
            </button>
          </form>
          <p>
            <Link to="/sign-in">{t("reset.backToSignIn")}</Link>
          </p>
        </>
      )}
    </section>
  );
}

function SetNewPassword({ token }: { token: string }) {
  const { t } = useTranslation("identity");
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, reset] = useMutation(ResetPasswordMutation);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await reset({ token, newPassword: password });
    const payload = result.data?.resetPassword;
    const refusal = userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null);
    if (payload?.__typename === "ResetPasswordSuccess") {
      navigate("/sign-in?reset=1", { replace: true });
    } else {
      setError(refusal);
    }
  }

  const linkFailed = error?.field === "token";
  return (
    <section className="narrow">
      <h1>{t("reset.newTitle")}</h1>
      <ErrorSummary form="reset-password" error={linkFailed ? { ...error, field: null } : error} />
      {linkFailed ? (
        <p>
          <Link to="/reset-password">{t("reset.askAgain")}</Link>
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field
            form="reset-password"
            name="password"
            label={t("reset.newPassword")}
            hint={t("reset.newPasswordHint")}
            error={error}
          >
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="primary" disabled={state.fetching}>
            {t("reset.save")}
          </button>
        </form>
      )}
    </section>
  );
}

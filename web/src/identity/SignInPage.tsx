import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { graphql } from "../graphql";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { useAuth } from "./AuthProvider";
import { UserErrorFragment } from "../errors/userError";

const SignInMutation = graphql(
  `
    mutation SignIn($email: String!, $password: String!) {
      signIn(email: $email, password: $password) {
        __typename
        ... on AuthPayload {
          token
        }
        ... on RateLimitedError {
          retryAfterSeconds
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

/** Only paths inside this app: an absolute or protocol-relative `next` would leave it. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function SignInPage() {
  const { t } = useTranslation("identity");
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { signedIn } = useAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, signIn] = useMutation(SignInMutation);
  const expired = params.get("expired") === "1";
  const passwordChanged = params.get("reset") === "1";

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await signIn({ email, password });
    const payload = result.data?.signIn;
    const refusal = userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null);
    if (payload?.__typename === "AuthPayload") {
      signedIn(payload.token);
      navigate(safeNext(params.get("next")), { replace: true });
    } else if (payload?.__typename === "RateLimitedError") {
      // How long to wait, in the page's language (the API says it in seconds).
      const minutes = Math.max(1, Math.ceil(payload.retryAfterSeconds / 60));
      setError({ ...payload, message: t("signIn.wait", { count: minutes }), code: null });
    } else {
      setError(refusal);
    }
  }

  return (
    <section className="narrow">
      <h1>{t("signIn.title")}</h1>
      {expired && !error ? <p className="notice">{t("signIn.expired")}</p> : null}
      {passwordChanged && !error ? (
        <p className="notice success" role="status">
          {t("signIn.passwordChanged")}
        </p>
      ) : null}
      <ErrorSummary form="sign-in" error={error} />
      <form onSubmit={submit} noValidate>
        <Field form="sign-in" name="email" label={t("signIn.email")} error={error}>
          {(props) => (
            <input {...props} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <Field form="sign-in" name="password" label={t("signIn.password")} error={error}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={state.fetching}>
          {t("signIn.submit")}
        </button>
      </form>
      <p>
        <Link to="/reset-password">{t("signIn.forgot")}</Link>
      </p>
      <p>
        {t("signIn.noAccount")}{" "}
        <Link to={`/sign-up${params.get("next") ? `?next=${encodeURIComponent(params.get("next")!)}` : ""}`}>
          {t("signIn.signUp")}
        </Link>
      </p>
    </section>
  );
}

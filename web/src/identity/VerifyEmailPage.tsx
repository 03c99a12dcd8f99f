// /verify-email?token=…: the link from the e-mail. Opened signed in or not (another browser, a phone).
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useClient, useMutation } from "urql";
import { graphql } from "../graphql";
import { ErrorText, userErrorOf, type UserErrorLike } from "../ui/forms";
import { Loading } from "../ui/States";
import { ViewerQuery } from "./AuthProvider";
import { UserErrorFragment } from "../errors/userError";

const VerifyEmailMutation = graphql(
  `
    mutation VerifyEmail($token: String!) {
      verifyEmail(token: $token) {
        __typename
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function VerifyEmailPage() {
  const { t } = useTranslation("identity");
  const [params] = useSearchParams();
  const token = params.get("token");
  const [, verify] = useMutation(VerifyEmailMutation);
  const client = useClient();
  const [outcome, setOutcome] = useState<"working" | "done" | UserErrorLike>("working");
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true; // once: the token works once, and React may run an effect twice in development
    void verify({ token }).then(async (result) => {
      const payload = result.data?.verifyEmail;
      const refusal = userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null);
      // Signed in: read `me.emailVerified` again, so that the banner goes.
      if (!refusal) await client.query(ViewerQuery, {}, { requestPolicy: "network-only" }).toPromise();
      setOutcome(refusal ?? "done");
    });
  }, [token, verify, client]);

  return (
    <section className="narrow">
      <h1>{t("verify.title")}</h1>
      {!token ? (
        <p className="notice">{t("verify.missing")}</p>
      ) : outcome === "working" ? (
        <Loading />
      ) : outcome === "done" ? (
        <>
          <p className="notice success" role="status">
            {t("verify.done")}
          </p>
          <p>
            <Link to="/">{t("verify.continue")}</Link>
          </p>
        </>
      ) : (
        <div className="error-summary" role="alert">
          <h2>{t("verify.failed")}</h2>
          <p>
            <ErrorText error={outcome} />
          </p>
        </div>
      )}
    </section>
  );
}


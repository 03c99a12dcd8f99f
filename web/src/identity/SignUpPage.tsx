import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { graphql } from "../graphql";
import { toApi } from "../i18n/accountLanguage";
import type { EnumOf } from "../i18n/enums";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { EnumSelect, RegionSelect } from "../ui/selects";
import { legalIdKindOfRegion, useLegalIdName } from "../ui/LegalId";
import { useAuth } from "./AuthProvider";
import { safeNext } from "./SignInPage";
import { UserErrorFragment } from "../errors/userError";

const SignUpMutation = graphql(
  `
    mutation SignUp($input: SignUpInput!) {
      signUp(input: $input) {
        __typename
        ... on AuthPayload {
          token
          organisation {
            id
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

export function SignUpPage() {
  const { t, i18n } = useTranslation("identity");
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const { signedIn } = useAuth();
  const [person, setPerson] = useState({ fullName: "", email: "", password: "" });
  const [withCompany, setWithCompany] = useState(true);
  const [company, setCompany] = useState<{
    name: string;
    legalId: string;
    region: string;
    kind: EnumOf<"OrganisationKind"> | "";
    membership: EnumOf<"MembershipKind"> | "";
  }>({ name: "", legalId: "", region: "", kind: "BUYER", membership: "PARTICIPANT" });
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, signUp] = useMutation(SignUpMutation);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await signUp({
      input: {
        ...person,
        // The account reads the language the page is in now (the header's switch); its e-mails too.
        language: toApi(i18n.language === "en" ? "en" : "ru"),
        organisation: withCompany
          ? {
              name: company.name,
              legalId: company.legalId,
              region: company.region,
              kind: company.kind || "BUYER",
              membership: company.membership || "PARTICIPANT",
            }
          : null,
      },
    });
    const payload = result.data?.signUp;
    if (payload?.__typename === "AuthPayload") {
      signedIn(payload.token);
      const next = params.get("next");
      navigate(next ? safeNext(next) : payload.organisation ? `/company/${payload.organisation.id}` : "/", {
        replace: true,
      });
    } else {
      setError(userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null));
    }
  }

  const form = "sign-up";
  // The region comes first: it decides which number the company is asked for (ИНН, БИН, УНП…).
  const legalIdName = useLegalIdName();
  const legalIdKind = legalIdKindOfRegion(company.region);
  return (
    <section className="narrow">
      <h1>{t("signUp.title")}</h1>
      <ErrorSummary form={form} error={error} />
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t("signUp.person")}</legend>
          <Field form={form} name="fullName" label={t("signUp.fullName")} error={error}>
            {(props) => (
              <input
                {...props}
                autoComplete="name"
                value={person.fullName}
                onChange={(e) => setPerson({ ...person, fullName: e.target.value })}
              />
            )}
          </Field>
          <Field form={form} name="email" label={t("signUp.email")} error={error}>
            {(props) => (
              <input
                {...props}
                type="email"
                autoComplete="email"
                value={person.email}
                onChange={(e) => setPerson({ ...person, email: e.target.value })}
              />
            )}
          </Field>
          <Field form={form} name="password" label={t("signUp.password")} hint={t("signUp.passwordHint")} error={error}>
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="new-password"
                value={person.password}
                onChange={(e) => setPerson({ ...person, password: e.target.value })}
              />
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t("signUp.company")}</legend>
          <p className="hint">{t("signUp.companyHint")}</p>
          <label className="checkbox">
            <input type="checkbox" checked={withCompany} onChange={(e) => setWithCompany(e.target.checked)} />
            {t("signUp.registerCompany")}
          </label>
          {withCompany ? (
            <>
              <Field form={form} name="organisation.name" label={t("signUp.name")} error={error}>
                {(props) => (
                  <input
                    {...props}
                    autoComplete="organization"
                    value={company.name}
                    onChange={(e) => setCompany({ ...company, name: e.target.value })}
                  />
                )}
              </Field>
              <Field form={form} name="organisation.region" label={t("signUp.region")} error={error}>
                {(props) => (
                  <RegionSelect {...props} value={company.region} onChange={(region) => setCompany({ ...company, region })} />
                )}
              </Field>
              <Field
                form={form}
                name="organisation.legalId"
                label={legalIdName.name(legalIdKind)}
                hint={`${legalIdName.hint(legalIdKind)}${legalIdKind === "INN" ? ` ${t("signUp.legalIdHint")}` : ""}`}
                error={error}
              >
                {(props) => (
                  <input
                    {...props}
                    inputMode={legalIdKind === "REGISTRATION_NUMBER" ? "text" : "numeric"}
                    value={company.legalId}
                    onChange={(e) => setCompany({ ...company, legalId: e.target.value })}
                  />
                )}
              </Field>
              <Field form={form} name="organisation.kind" label={t("signUp.kind")} error={error}>
                {(props) => (
                  <EnumSelect
                    {...props}
                    enumName="OrganisationKind"
                    value={company.kind}
                    onChange={(kind) => setCompany({ ...company, kind })}
                  />
                )}
              </Field>
              <Field form={form} name="organisation.membership" label={t("signUp.membership")} error={error}>
                {(props) => (
                  <EnumSelect
                    {...props}
                    enumName="MembershipKind"
                    value={company.membership}
                    onChange={(membership) => setCompany({ ...company, membership })}
                  />
                )}
              </Field>
            </>
          ) : null}
        </fieldset>
        <button type="submit" className="primary" disabled={state.fetching}>
          {t("signUp.submit")}
        </button>
      </form>
      <p>
        {t("signUp.haveAccount")} <Link to={`/sign-in${location.search}`}>{t("signUp.signIn")}</Link>
      </p>
    </section>
  );
}

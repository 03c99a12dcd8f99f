// An organisation's legal details (реквизиты) on its company page: what the contract documents print (ИНН/КПП,
// ОГРН, addresses, signatory, bank account) and whether an operator checked them; admins state or change them
// (setLegalDetails). The API checks every number and says which field is wrong; the page only shows it.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql, readFragment, type FragmentOf, type VariablesOf } from "../graphql";
import type { EnumOf } from "../i18n/enums";
import { useFormat } from "../i18n/format";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { EnumSelect } from "../ui/selects";
import { LegalDetailsFacts, LegalDetailsFactsFragment, readLegalDetails, type LegalDetails } from "./LegalDetailsFacts";

export const LegalDetailsFragment = graphql(
  `
  fragment LegalDetailsSection on Organisation {
    id
    legalDetails {
      ...LegalDetailsFacts
    }
  }
`,
  [LegalDetailsFactsFragment],
);

const SetLegalDetailsMutation = graphql(
  `
    mutation SetLegalDetails($id: ID!, $input: LegalDetailsInput!) {
      setLegalDetails(id: $id, input: $input) {
        __typename
        ... on LegalDetailsSuccess {
          organisation {
            id
            legalId
            ...LegalDetailsSection
          }
        }
        ... on UserError {
          message
          code
          field
        }
      }
    }
  `,
  [LegalDetailsFragment],
);

type Input = VariablesOf<typeof SetLegalDetailsMutation>["input"];
type Details = LegalDetails | null;
type TextField = Exclude<keyof Input, "signatoryBasis">;
type Values = Record<TextField, string> & { signatoryBasis: EnumOf<"SignatoryBasis"> | "" };

const TEXT_FIELDS: TextField[] = [
  "inn",
  "kpp",
  "ogrn",
  "legalAddress",
  "postalAddress",
  "signatoryName",
  "signatoryPosition",
  "powerOfAttorneyNumber",
  "powerOfAttorneyDate",
  "bankName",
  "bik",
  "settlementAccount",
  "correspondentAccount",
];

export function LegalDetailsSection({
  data,
  isAdmin,
}: {
  data: FragmentOf<typeof LegalDetailsFragment>;
  isAdmin: boolean;
}) {
  const { t } = useTranslation("identity");
  const format = useFormat();
  const organisation = readFragment(LegalDetailsFragment, data);
  const details = organisation.legalDetails ? readLegalDetails(organisation.legalDetails) : null;
  const [editing, setEditing] = useState(false);

  return (
    <section aria-labelledby="legal-details-title" className="legal-details" data-testid="legal-details">
      <h2 id="legal-details-title">{t("legal.title")}</h2>
      <p className="muted">{t("legal.why")}</p>
      {editing ? (
        <LegalDetailsForm organisationId={organisation.id} details={details} onDone={() => setEditing(false)} />
      ) : details ? (
        <>
          <p className={details.checkedAt ? "badge badge-ok" : "badge"} data-testid="legal-details-check">
            {details.checkedAt ? t("legal.checked", { date: format.date(details.checkedAt) }) : t("legal.unchecked")}
          </p>
          <LegalDetailsFacts details={details} />
        </>
      ) : (
        <p className="notice" data-testid="legal-details-missing">
          {t("legal.missing")}
        </p>
      )}
      {isAdmin && !editing ? (
        <p className="actions">
          <button type="button" onClick={() => setEditing(true)}>
            {details ? t("legal.edit") : t("legal.state")}
          </button>
        </p>
      ) : null}
    </section>
  );
}

function initialValues(details: Details): Values {
  const values = Object.fromEntries(TEXT_FIELDS.map((name) => [name, ""])) as Values;
  if (details) {
    for (const name of TEXT_FIELDS) values[name] = (details as Record<string, unknown>)[name]?.toString() ?? "";
  }
  values.signatoryBasis = details?.signatoryBasis ?? "CHARTER";
  return values;
}

function LegalDetailsForm({
  organisationId,
  details,
  onDone,
}: {
  organisationId: string;
  details: Details;
  onDone: () => void;
}) {
  const { t } = useTranslation("identity");
  const [values, setValues] = useState<Values>(() => initialValues(details));
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, save] = useMutation(SetLegalDetailsMutation);
  const form = "legal-details";
  const set = (name: TextField) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setValues((current) => ({ ...current, [name]: event.target.value }));
  const byProxy = values.signatoryBasis === "POWER_OF_ATTORNEY";

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const optional = (value: string) => (value.trim() ? value : null);
    const input: Input = {
      inn: values.inn,
      kpp: optional(values.kpp),
      ogrn: values.ogrn,
      legalAddress: values.legalAddress,
      postalAddress: optional(values.postalAddress),
      signatoryName: values.signatoryName,
      signatoryPosition: values.signatoryPosition,
      signatoryBasis: values.signatoryBasis || "CHARTER",
      powerOfAttorneyNumber: byProxy ? optional(values.powerOfAttorneyNumber) : null,
      powerOfAttorneyDate: byProxy ? optional(values.powerOfAttorneyDate) : null,
      bankName: values.bankName,
      bik: values.bik,
      settlementAccount: values.settlementAccount,
      correspondentAccount: values.correspondentAccount,
    };
    const result = await save({ id: organisationId, input });
    const payload = result.data?.setLegalDetails;
    const refusal = userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null);
    setError(refusal);
    if (payload?.__typename === "LegalDetailsSuccess") onDone();
  }

  const text = (name: TextField, options: { hint?: string; optional?: boolean; numeric?: boolean } = {}) => (
    <Field
      form={form}
      name={name}
      label={t(`legal.${name}`)}
      hint={options.hint}
      optional={options.optional}
      error={error}
    >
      {(props) => (
        <input
          {...props}
          inputMode={options.numeric ? "numeric" : undefined}
          autoComplete="off"
          value={values[name]}
          onChange={set(name)}
        />
      )}
    </Field>
  );

  return (
    <form onSubmit={submit} noValidate aria-label={t("legal.formLabel")} className="legal-details-form">
      <ErrorSummary form={form} error={error} />
      <fieldset>
        <legend>{t("legal.registration")}</legend>
        {text("inn", { hint: t("legal.innHint"), numeric: true })}
        {text("kpp", { hint: t("legal.kppHint"), numeric: true })}
        {text("ogrn", { hint: t("legal.ogrnHint"), numeric: true })}
      </fieldset>
      <fieldset>
        <legend>{t("legal.addresses")}</legend>
        {text("legalAddress")}
        {text("postalAddress", { hint: t("legal.postalHint"), optional: true })}
      </fieldset>
      <fieldset>
        <legend>{t("legal.signatory")}</legend>
        {text("signatoryName")}
        {text("signatoryPosition", { hint: t("legal.positionHint") })}
        <Field form={form} name="signatoryBasis" label={t("legal.signatoryBasis")} error={error}>
          {(props) => (
            <EnumSelect
              {...props}
              enumName="SignatoryBasis"
              value={values.signatoryBasis}
              onChange={(value) => setValues((current) => ({ ...current, signatoryBasis: value }))}
            />
          )}
        </Field>
        {byProxy ? (
          <>
            {text("powerOfAttorneyNumber")}
            <Field form={form} name="powerOfAttorneyDate" label={t("legal.powerOfAttorneyDate")} error={error}>
              {(props) => (
                <input {...props} type="date" value={values.powerOfAttorneyDate} onChange={set("powerOfAttorneyDate")} />
              )}
            </Field>
          </>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>{t("legal.bank")}</legend>
        {text("bankName")}
        {text("bik", { hint: t("legal.bikHint"), numeric: true })}
        {text("settlementAccount", { hint: t("legal.accountHint"), numeric: true })}
        {text("correspondentAccount", { hint: t("legal.corrHint"), numeric: true })}
      </fieldset>
      <p className="muted">{t("legal.recheck")}</p>
      <p className="actions">
        <button type="submit" className="primary" disabled={state.fetching}>
          {t("legal.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("legal.cancel")}
        </button>
      </p>
    </form>
  );
}

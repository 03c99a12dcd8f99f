// An organisation's tax status on its company page: what it declared, whether an operator checked it, and for
// admins a select to declare it (setTaxStatus). The API decides what a status means for prices.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import type { EnumOf } from "../i18n/enums";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { EnumSelect } from "../ui/selects";

export const TaxStatusFragment = graphql(`
  fragment TaxStatusSection on Organisation {
    id
    taxStatus
    taxStatusCheckedAt
    vatTerms {
      treatment
      rate
    }
  }
`);

const SetTaxStatusMutation = graphql(
  `
    mutation SetTaxStatus($id: ID!, $taxStatus: TaxStatus!) {
      setTaxStatus(id: $id, taxStatus: $taxStatus) {
        __typename
        ... on OrganisationSuccess {
          organisation {
            ...TaxStatusSection
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
  [TaxStatusFragment],
);

export function TaxStatusSection({
  data,
  isAdmin,
}: {
  data: FragmentOf<typeof TaxStatusFragment>;
  isAdmin: boolean;
}) {
  const { t } = useTranslation("taxes");
  const { label } = useLabels();
  const format = useFormat();
  const organisation = readFragment(TaxStatusFragment, data);
  const [value, setValue] = useState<EnumOf<"TaxStatus"> | "">(organisation.taxStatus);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [saved, setSaved] = useState(false);
  const [state, save] = useMutation(SetTaxStatusMutation);
  const form = "tax-status";

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!value) return;
    const result = await save({ id: organisation.id, taxStatus: value });
    const payload = result.data?.setTaxStatus;
    setSaved(payload?.__typename === "OrganisationSuccess");
    setError(userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null));
  }

  return (
    <section aria-labelledby="tax-status-title" className="tax-status">
      <h2 id="tax-status-title">{t("status.title")}</h2>
      <dl className="facts">
        <dt>{t("status.label")}</dt>
        <dd data-testid="tax-status">
          {organisation.taxStatus === "NOT_STATED" ? t("status.notStated") : label("TaxStatus", organisation.taxStatus)}
          {organisation.taxStatus !== "NOT_STATED" ? (
            <span className="muted">
              {" · "}
              {organisation.taxStatusCheckedAt
                ? t("status.checked", { date: format.date(organisation.taxStatusCheckedAt) })
                : t("status.unchecked")}
            </span>
          ) : null}
        </dd>
        <dt>{t("status.prices")}</dt>
        <dd>
          {label("VatTreatment", organisation.vatTerms.treatment)}
          {organisation.vatTerms.rate !== null
            ? ` · ${t("vatLine", { rate: format.number(Number(organisation.vatTerms.rate)) })}`
            : null}
        </dd>
      </dl>
      {isAdmin ? (
        <form onSubmit={submit} noValidate>
          <ErrorSummary form={form} error={error} />
          <Field form={form} name="taxStatus" label={t("status.label")} hint={t("status.hint")} error={error}>
            {(props) => <EnumSelect {...props} enumName="TaxStatus" value={value} onChange={setValue} />}
          </Field>
          <p className="actions">
            <button type="submit" disabled={state.fetching || value === organisation.taxStatus}>
              {t("status.save")}
            </button>
            {saved ? (
              <span role="status" className="muted">
                {" "}
                {t("status.saved")}
              </span>
            ) : null}
          </p>
        </form>
      ) : null}
    </section>
  );
}

// The company page for its members: details, verification, members; admins edit the details.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql } from "../graphql";
import { UserErrorFragment } from "../errors/userError";
import type { EnumOf } from "../i18n/enums";
import { useLabels } from "../i18n/labels";
import { ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { EnumSelect, RegionSelect } from "../ui/selects";
import { LoadError, Loading } from "../ui/States";
import { TaxStatusFragment, TaxStatusSection } from "../taxes/TaxStatusSection";
import { LegalDetailsFragment, LegalDetailsSection } from "./LegalDetailsSection";
import { LegalIdFragment, legalIdKindOfRegion, useLegalIdName } from "../ui/LegalId";
import { LegalIdNotice, LegalIdNoticeFragment } from "./LegalIdNotice";

const CompanyQuery = graphql(
  `
  query Company($id: ID!) {
    organisation(id: $id) {
      id
      name
      legalId
      legalIdKind
      region
      kind
      membership
      verified
      verifiedAt
      ...LegalId
      ...LegalIdNotice
      ...TaxStatusSection
      ...LegalDetailsSection
      members {
        role
        user {
          id
          fullName
          email
        }
      }
    }
    me {
      id
    }
  }
`,
  [TaxStatusFragment, LegalDetailsFragment, LegalIdFragment, LegalIdNoticeFragment],
);

const UpdateOrganisationMutation = graphql(
  `
  mutation UpdateOrganisation($id: ID!, $input: UpdateOrganisationInput!) {
    updateOrganisation(id: $id, input: $input) {
      __typename
      ... on OrganisationSuccess {
        organisation {
          id
          name
          legalId
          legalIdKind
          region
          kind
          membership
          verified
          verifiedAt
          ...LegalId
        }
      }
      ...UserErrorFields
    }
  }
`,
  [UserErrorFragment, LegalIdFragment],
);

export function CompanyPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation("identity");
  const { label, region } = useLabels();
  const legalIdName = useLegalIdName();
  const [result, refetch] = useQuery({ query: CompanyQuery, variables: { id } });
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  if (result.fetching && !result.data) return <Loading />;
  if (result.error) return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const organisation = result.data?.organisation;
  if (!organisation) return <p>{t("common:state.notFound")}</p>;
  const isAdmin = organisation.members?.some((m) => m.user.id === result.data?.me?.id && m.role === "ADMIN") ?? false;
  return (
    <section>
      <h1>{organisation.name}</h1>
      <p className={organisation.verified ? "badge badge-ok" : "badge"}>
        {organisation.verified ? t("company.verified") : t("company.notVerified")}
      </p>
      {saved && !editing ? (
        <p className="notice success" role="status">
          {t("company.saved")}
        </p>
      ) : null}
      {isAdmin ? (
        <LegalIdNotice
          data={organisation}
          onCorrect={() => {
            setSaved(false);
            setEditing(true);
          }}
        />
      ) : null}
      {editing ? (
        <EditCompany
          organisation={organisation}
          onDone={(saved) => {
            setEditing(false);
            setSaved(saved);
          }}
        />
      ) : (
        <>
          <dl className="facts">
            <dt>{legalIdName.name(organisation.legalIdKind)}</dt>
            <dd>{organisation.legalId}</dd>
            <dt>{t("company.region")}</dt>
            <dd>{region(organisation.region)}</dd>
            <dt>{t("company.kind")}</dt>
            <dd>{label("OrganisationKind", organisation.kind)}</dd>
            <dt>{t("company.membership")}</dt>
            <dd>{label("MembershipKind", organisation.membership)}</dd>
          </dl>
          <p className="actions">
            {isAdmin ? (
              <button type="button" onClick={() => setEditing(true)}>
                {t("company.edit")}
              </button>
            ) : null}
            {organisation.kind !== "BUYER" ? (
              <Link to={`/suppliers/${organisation.id}`}>{t("company.publicPage")}</Link>
            ) : null}
          </p>
        </>
      )}
      <TaxStatusSection data={organisation} isAdmin={isAdmin} />
      <LegalDetailsSection data={organisation} isAdmin={isAdmin} />
      {organisation.members ? (
        <>
          <h2>{t("company.members")}</h2>
          <ul className="list">
            {organisation.members.map((member) => (
              <li key={member.user.id}>
                {member.user.fullName} · {member.user.email} · {label("Role", member.role)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function EditCompany({
  organisation,
  onDone,
}: {
  organisation: {
    id: string;
    name: string;
    legalId: string;
    region: string;
    kind: EnumOf<"OrganisationKind">;
    membership: EnumOf<"MembershipKind">;
  };
  onDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation("identity");
  const legalIdName = useLegalIdName();
  const [values, setValues] = useState({
    name: organisation.name,
    legalId: organisation.legalId,
    region: organisation.region,
    kind: organisation.kind as EnumOf<"OrganisationKind"> | "",
    membership: organisation.membership as EnumOf<"MembershipKind"> | "",
  });
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, update] = useMutation(UpdateOrganisationMutation);
  const form = "company";

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await update({
      id: organisation.id,
      input: {
        name: values.name,
        region: values.region,
        // Sent only when changed: a stated legal details' ИНН is changed there, and the API refuses it here.
        legalId: values.legalId !== organisation.legalId ? values.legalId : null,
        kind: values.kind || null,
        membership: values.membership || null,
      },
    });
    const payload = result.data?.updateOrganisation;
    if (payload?.__typename === "OrganisationSuccess") onDone(true);
    else setError(userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null));
  }

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary form={form} error={error} />
      <Field form={form} name="name" label={t("signUp.name")} error={error}>
        {(props) => <input {...props} value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} />}
      </Field>
      <Field form={form} name="region" label={t("company.region")} error={error}>
        {(props) => <RegionSelect {...props} value={values.region} onChange={(region) => setValues({ ...values, region })} />}
      </Field>
      <Field
        form={form}
        name="legalId"
        label={legalIdName.name(legalIdKindOfRegion(values.region))}
        hint={`${legalIdName.hint(legalIdKindOfRegion(values.region))} ${t("company.legalIdChangeHint")}`}
        error={error}
      >
        {(props) => (
          <input {...props} value={values.legalId} onChange={(e) => setValues({ ...values, legalId: e.target.value })} />
        )}
      </Field>
      <Field form={form} name="kind" label={t("company.kind")} error={error}>
        {(props) => (
          <EnumSelect {...props} enumName="OrganisationKind" value={values.kind} onChange={(kind) => setValues({ ...values, kind })} />
        )}
      </Field>
      <Field form={form} name="membership" label={t("company.membership")} error={error}>
        {(props) => (
          <EnumSelect
            {...props}
            enumName="MembershipKind"
            value={values.membership}
            onChange={(membership) => setValues({ ...values, membership })}
          />
        )}
      </Field>
      <p className="actions">
        <button type="submit" className="primary" disabled={state.fetching}>
          {t("company.save")}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          {t("common:form.cancel")}
        </button>
      </p>
    </form>
  );
}

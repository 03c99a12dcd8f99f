// What the shop can make: processes, materials, batch sizes, the largest part, a description. Saving
// replaces the whole profile (updateManufacturerProfile); the API's refusal is shown at its field.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { graphql, type ResultOf } from "../graphql";
import { enumValues, type EnumOf } from "../i18n/enums";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { CheckboxGroup, ErrorSummary, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { Empty, LoadError, Loading } from "../ui/States";
import { useProfileOrganisation } from "./ProfileLayout";

const CapabilitiesQuery = graphql(`
  query Capabilities($id: ID!) {
    organisation(id: $id) {
      id
      manufacturerProfile {
        processes
        materials
        maxPartXMm
        maxPartYMm
        maxPartZMm
        minQuantity
        maxQuantity
        description
        updatedAt
      }
    }
  }
`);

const UpdateProfileMutation = graphql(`
  mutation UpdateManufacturerProfile($organisationId: ID!, $input: ManufacturerProfileInput!) {
    updateManufacturerProfile(organisationId: $organisationId, input: $input) {
      __typename
      ... on ManufacturerProfileSuccess {
        profile {
          processes
          updatedAt
        }
      }
      ... on UserError {
        message
        code
        field
      }
    }
  }
`);

interface InputProps {
  id: string;
  name: string;
  "aria-invalid": boolean | undefined;
  "aria-describedby": string | undefined;
}

type Profile = NonNullable<NonNullable<ResultOf<typeof CapabilitiesQuery>["organisation"]>["manufacturerProfile"]>;

export function CapabilitiesPage() {
  const { organisationId } = useProfileOrganisation();
  const { t } = useTranslation("profile");
  const format = useFormat();
  const { label } = useLabels();
  const [result, refetch] = useQuery({ query: CapabilitiesQuery, variables: { id: organisationId } });
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !result.data)
    return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const organisation = result.data?.organisation;
  if (!organisation) return <Empty>{t("common:state.notFound")}</Empty>;
  const profile = organisation.manufacturerProfile ?? null;

  if (editing || !profile) {
    return (
      <>
        {!profile && !editing ? <p className="notice">{t("capabilities.empty")}</p> : null}
        <ProfileForm
          organisationId={organisationId}
          profile={profile}
          onSaved={() => {
            // The profile has no id of its own to update in the cache: read it again.
            refetch({ requestPolicy: "network-only" });
            setEditing(false);
            setSaved(true);
          }}
          onCancel={profile ? () => setEditing(false) : undefined}
        />
      </>
    );
  }
  return (
    <>
      {saved ? (
        <p className="success" role="status">
          {t("capabilities.saved")}
        </p>
      ) : null}
      {profile.description ? <p className="prose">{profile.description}</p> : null}
      <dl className="facts">
        <dt>{t("capabilities.processes")}</dt>
        <dd>
          <ul className="tags">
            {profile.processes.map((process) => (
              <li key={process}>{label("Process", process)}</li>
            ))}
          </ul>
        </dd>
        <dt>{t("capabilities.materials")}</dt>
        <dd>{profile.materials.length ? profile.materials.join(", ") : t("capabilities.notStated")}</dd>
        <dt>{t("capabilities.quantity")}</dt>
        <dd>
          {profile.maxQuantity
            ? t("capabilities.quantityRange", {
                min: format.number(profile.minQuantity),
                max: format.number(profile.maxQuantity),
              })
            : t("capabilities.quantityFrom", { min: format.number(profile.minQuantity) })}
        </dd>
        <dt>{t("capabilities.envelope")}</dt>
        <dd>
          {profile.maxPartXMm || profile.maxPartYMm || profile.maxPartZMm
            ? t("capabilities.envelopeValue", {
                x: profile.maxPartXMm ?? "—",
                y: profile.maxPartYMm ?? "—",
                z: profile.maxPartZMm ?? "—",
              })
            : t("capabilities.notStated")}
        </dd>
      </dl>
      <p className="muted">{t("capabilities.updatedAt", { date: format.dateTime(profile.updatedAt) })}</p>
      <p className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => {
            setSaved(false);
            setEditing(true);
          }}
        >
          {t("capabilities.edit")}
        </button>
      </p>
    </>
  );
}

/** A number typed into an input: empty is "not given" (null). */
function numberOrNull(text: string): number | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const value = Number(trimmed.replace(/\s/g, ""));
  return Number.isFinite(value) ? value : null;
}

function ProfileForm({
  organisationId,
  profile,
  onSaved,
  onCancel,
}: {
  organisationId: string;
  profile: Profile | null;
  onSaved: () => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation("profile");
  const { label } = useLabels();
  const text = (value: number | null | undefined) => (value === null || value === undefined ? "" : String(value));
  const [values, setValues] = useState({
    processes: (profile?.processes ?? []) as EnumOf<"Process">[],
    materials: (profile?.materials ?? []).join("\n"),
    minQuantity: text(profile?.minQuantity),
    maxQuantity: text(profile?.maxQuantity),
    maxPartXMm: text(profile?.maxPartXMm),
    maxPartYMm: text(profile?.maxPartYMm),
    maxPartZMm: text(profile?.maxPartZMm),
    description: profile?.description ?? "",
  });
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [state, update] = useMutation(UpdateProfileMutation);
  const form = "profile";
  const set = (patch: Partial<typeof values>) => setValues((current) => ({ ...current, ...patch }));

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await update({
      organisationId,
      input: {
        processes: values.processes,
        materials: values.materials
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean),
        minQuantity: numberOrNull(values.minQuantity) ?? undefined,
        maxQuantity: numberOrNull(values.maxQuantity),
        maxPartXMm: numberOrNull(values.maxPartXMm),
        maxPartYMm: numberOrNull(values.maxPartYMm),
        maxPartZMm: numberOrNull(values.maxPartZMm),
        description: values.description,
      },
    });
    const payload = result.data?.updateManufacturerProfile;
    if (payload?.__typename === "ManufacturerProfileSuccess") onSaved();
    else setError(userErrorOf(payload) ?? (result.error ? { message: result.error.message } : null));
  }

  const numberInput = (name: keyof typeof values) => (props: InputProps) => (
    <input
      {...props}
      type="number"
      inputMode="numeric"
      min={1}
      value={values[name] as string}
      onChange={(event) => set({ [name]: event.target.value })}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary form={form} error={error} />
      <CheckboxGroup
        form={form}
        name="processes"
        legend={t("capabilities.processes")}
        options={enumValues("Process")}
        selected={values.processes}
        onChange={(processes) => set({ processes })}
        labelOf={(value) => label("Process", value)}
        error={error}
      />
      <Field form={form} name="materials" label={t("capabilities.materials")} hint={t("capabilities.materialsHint")} error={error} optional>
        {(props) => (
          <textarea {...props} rows={4} value={values.materials} onChange={(event) => set({ materials: event.target.value })} />
        )}
      </Field>
      <fieldset>
        <legend>{t("capabilities.quantity")}</legend>
        <div className="field-row">
          <Field form={form} name="minQuantity" label={t("capabilities.minQuantity")} error={error}>
            {numberInput("minQuantity")}
          </Field>
          <Field
            form={form}
            name="maxQuantity"
            label={t("capabilities.maxQuantity")}
            hint={t("capabilities.maxQuantityHint")}
            error={error}
            optional
          >
            {numberInput("maxQuantity")}
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("capabilities.envelope")}</legend>
        <p className="hint">{t("capabilities.envelopeHint")}</p>
        <div className="field-row">
          <Field form={form} name="maxPartXMm" label={t("capabilities.x")} error={error} optional>
            {numberInput("maxPartXMm")}
          </Field>
          <Field form={form} name="maxPartYMm" label={t("capabilities.y")} error={error} optional>
            {numberInput("maxPartYMm")}
          </Field>
          <Field form={form} name="maxPartZMm" label={t("capabilities.z")} error={error} optional>
            {numberInput("maxPartZMm")}
          </Field>
        </div>
      </fieldset>
      <Field
        form={form}
        name="description"
        label={t("capabilities.description")}
        hint={t("capabilities.descriptionHint")}
        error={error}
        optional
      >
        {(props) => (
          <textarea
            {...props}
            rows={5}
            value={values.description}
            onChange={(event) => set({ description: event.target.value })}
          />
        )}
      </Field>
      <p className="actions">
        <button type="submit" className="primary" disabled={state.fetching}>
          {state.fetching ? t("common:form.working") : t("capabilities.save")}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t("common:form.cancel")}
          </button>
        ) : null}
      </p>
    </form>
  );
}

// What the shop can make: processes, materials, batch sizes, the largest part, a description. A first profile
// is filled one group per step, then checked and saved; a saved one is a summary whose groups are changed one
// at a time. Saving replaces the whole profile (updateManufacturerProfile); a refusal is shown at its field.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { graphql, type ResultOf } from "../graphql";
import { enumValues, type EnumOf } from "../i18n/enums";
import { useFormat } from "../i18n/format";
import { useLabels } from "../i18n/labels";
import { CheckboxGroup, ErrorSummary, errorIsFor, Field, userErrorOf, type UserErrorLike } from "../ui/forms";
import { NumberInput } from "../ui/NumberInput";
import { Empty, LoadError, Loading } from "../ui/States";
import { useProfileOrganisation } from "./ProfileLayout";
import { UserErrorFragment } from "../errors/userError";

const CapabilitiesQuery = graphql(
  `
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

const UpdateProfileMutation = graphql(
  `
    mutation UpdateManufacturerProfile($organisationId: ID!, $input: ManufacturerProfileInput!) {
      updateManufacturerProfile(organisationId: $organisationId, input: $input) {
        __typename
        ... on ManufacturerProfileSuccess {
          profile {
            processes
            updatedAt
          }
        }
        ...UserErrorFields
      }
    }
  `,
  [UserErrorFragment],
);

type Profile = NonNullable<NonNullable<ResultOf<typeof CapabilitiesQuery>["organisation"]>["manufacturerProfile"]>;

/** The question groups, in the order a first profile asks them, and the API fields each one holds. */
const STEPS = ["processes", "materials", "quantity", "envelope", "description"] as const;
type Step = (typeof STEPS)[number];
const FIELDS: Record<Step, string[]> = {
  processes: ["processes"],
  materials: ["materials"],
  quantity: ["minQuantity", "maxQuantity"],
  envelope: ["maxPartXMm", "maxPartYMm", "maxPartZMm"],
  description: ["description"],
};

interface Values {
  processes: EnumOf<"Process">[];
  materials: string;
  minQuantity: string;
  maxQuantity: string;
  maxPartXMm: string;
  maxPartYMm: string;
  maxPartZMm: string;
  description: string;
}

function valuesOf(profile: Profile | null): Values {
  const text = (value: number | null | undefined) => (value === null || value === undefined ? "" : String(value));
  return {
    processes: [...(profile?.processes ?? [])],
    materials: (profile?.materials ?? []).join("\n"),
    minQuantity: text(profile?.minQuantity),
    maxQuantity: text(profile?.maxQuantity),
    maxPartXMm: text(profile?.maxPartXMm),
    maxPartYMm: text(profile?.maxPartYMm),
    maxPartZMm: text(profile?.maxPartZMm),
    description: profile?.description ?? "",
  };
}

/** A number typed into an input: empty is "not given" (null). */
function numberOrNull(text: string): number | null {
  const trimmed = text.trim().replace(/\s/g, "");
  if (!trimmed) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function materialsOf(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Where the person is: the saved summary, one group being changed, a step of the first fill, the check. */
type Mode =
  | { kind: "summary" }
  | { kind: "change"; step: Step }
  | { kind: "fill"; step: Step; thenCheck: boolean }
  | { kind: "check" };

export function CapabilitiesPage() {
  const { organisationId } = useProfileOrganisation();
  const { t } = useTranslation("profile");
  const format = useFormat();
  const [result, refetch] = useQuery({ query: CapabilitiesQuery, variables: { id: organisationId } });
  const [mode, setMode] = useState<Mode | null>(null);
  const [values, setValues] = useState<Values>(valuesOf(null));
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [saved, setSaved] = useState(false);
  const [state, update] = useMutation(UpdateProfileMutation);
  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !result.data)
    return <LoadError error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const organisation = result.data?.organisation;
  if (!organisation) return <Empty>{t("common:state.notFound")}</Empty>;
  const profile = organisation.manufacturerProfile ?? null;
  const current: Mode = mode ?? (profile ? { kind: "summary" } : { kind: "fill", step: STEPS[0], thenCheck: false });
  const set = (patch: Partial<Values>) => setValues((previous) => ({ ...previous, ...patch }));
  const form = "profile";

  function start(next: Mode) {
    setSaved(false);
    setError(null);
    // Changing a saved profile starts from what is saved.
    if (next.kind === "change") setValues(valuesOf(profile));
    setMode(next);
  }

  async function save(onRefused: (step: Step | null) => void) {
    const outcome = await update({
      organisationId,
      input: {
        processes: values.processes,
        materials: materialsOf(values.materials),
        minQuantity: numberOrNull(values.minQuantity) ?? undefined,
        maxQuantity: numberOrNull(values.maxQuantity),
        maxPartXMm: numberOrNull(values.maxPartXMm),
        maxPartYMm: numberOrNull(values.maxPartYMm),
        maxPartZMm: numberOrNull(values.maxPartZMm),
        description: values.description,
      },
    });
    const payload = outcome.data?.updateManufacturerProfile;
    if (payload?.__typename === "ManufacturerProfileSuccess") {
      // The profile has no id of its own to update in the cache: read it again.
      refetch({ requestPolicy: "network-only" });
      setError(null);
      setSaved(true);
      setMode({ kind: "summary" });
      return;
    }
    const refusal = userErrorOf(payload) ?? (outcome.error ? { message: outcome.error.message } : null);
    setError(refusal);
    onRefused(STEPS.find((step) => errorIsFor(refusal, FIELDS[step])) ?? null);
  }

  if (current.kind === "summary" && profile) {
    return (
      <>
        {saved ? (
          <p className="success" role="status">
            {t("capabilities.saved")}
          </p>
        ) : null}
        <Summary values={valuesOf(profile)} onChange={(step) => start({ kind: "change", step })} />
        <p className="muted">{t("capabilities.updatedAt", { date: format.dateTime(profile.updatedAt) })}</p>
      </>
    );
  }

  if (current.kind === "check") {
    return (
      <section aria-labelledby="profile-check">
        <h2 id="profile-check">{t("capabilities.check")}</h2>
        <ErrorSummary form={form} error={error} />
        <Summary values={values} onChange={(step) => setMode({ kind: "fill", step, thenCheck: true })} />
        <p className="actions">
          <button
            type="button"
            className="primary"
            disabled={state.fetching}
            onClick={() => save((step) => step && setMode({ kind: "fill", step, thenCheck: true }))}
          >
            {state.fetching ? t("common:form.working") : t("capabilities.save")}
          </button>
        </p>
      </section>
    );
  }

  // One group: a step of the first fill, or the group being changed in a saved profile.
  const step = current.kind === "summary" ? STEPS[0] : current.step;
  const index = STEPS.indexOf(step);
  const filling = current.kind === "fill";
  const thenCheck = current.kind === "fill" && current.thenCheck;
  const next = () => {
    setError(null);
    if (thenCheck || index === STEPS.length - 1) setMode({ kind: "check" });
    else setMode({ kind: "fill", step: STEPS[index + 1], thenCheck: false });
  };
  return (
    <form
      noValidate
      aria-labelledby="profile-step"
      onSubmit={(event) => {
        event.preventDefault();
        if (filling) next();
        else void save(() => undefined);
      }}
    >
      {!profile && index === 0 && !thenCheck ? <p className="notice">{t("capabilities.empty")}</p> : null}
      {filling ? (
        <p className="muted">{t("capabilities.stepOf", { step: index + 1, count: STEPS.length })}</p>
      ) : null}
      <h2 id="profile-step">{t(`capabilities.steps.${step}`)}</h2>
      <ErrorSummary form={form} error={error} />
      <GroupFields step={step} values={values} set={set} error={error} form={form} />
      <p className="actions">
        {filling ? (
          <>
            <button type="submit" className="primary">
              {thenCheck || index === STEPS.length - 1 ? t("capabilities.toCheck") : t("capabilities.next")}
            </button>
            {index > 0 && !thenCheck ? (
              <button type="button" onClick={() => setMode({ kind: "fill", step: STEPS[index - 1], thenCheck: false })}>
                {t("capabilities.back")}
              </button>
            ) : null}
          </>
        ) : (
          <>
            <button type="submit" className="primary" disabled={state.fetching}>
              {state.fetching ? t("common:form.working") : t("capabilities.save")}
            </button>
            <button type="button" onClick={() => start({ kind: "summary" })}>
              {t("common:form.cancel")}
            </button>
          </>
        )}
      </p>
    </form>
  );
}

/** The profile as a summary list: each group with its answer and a button to change it. */
function Summary({ values, onChange }: { values: Values; onChange: (step: Step) => void }) {
  const { t } = useTranslation("profile");
  const format = useFormat();
  const { label } = useLabels();
  const min = numberOrNull(values.minQuantity) ?? 1;
  const max = numberOrNull(values.maxQuantity);
  const [x, y, z] = [values.maxPartXMm, values.maxPartYMm, values.maxPartZMm].map(numberOrNull);
  const materials = materialsOf(values.materials);
  const answers: Record<Step, React.ReactNode> = {
    processes: values.processes.length ? (
      <ul className="tags">
        {values.processes.map((process) => (
          <li key={process}>{label("Process", process)}</li>
        ))}
      </ul>
    ) : (
      t("capabilities.notStated")
    ),
    materials: materials.length ? materials.join(", ") : t("capabilities.notStated"),
    quantity: max
      ? t("capabilities.quantityRange", { min: format.number(min), max: format.number(max) })
      : t("capabilities.quantityFrom", { min: format.number(min) }),
    envelope:
      x || y || z ? t("capabilities.envelopeValue", { x: x ?? "—", y: y ?? "—", z: z ?? "—" }) : t("capabilities.notStated"),
    description: values.description ? <span className="prose">{values.description}</span> : t("capabilities.notStated"),
  };
  return (
    <dl className="summary-list">
      {STEPS.map((step) => (
        <div key={step}>
          <dt>{t(`capabilities.steps.${step}`)}</dt>
          <dd>{answers[step]}</dd>
          <dd className="summary-action">
            <button
              type="button"
              className="link-button"
              aria-label={t("capabilities.changeLabel", { group: t(`capabilities.steps.${step}`) })}
              onClick={() => onChange(step)}
            >
              {t("capabilities.change")}
            </button>
          </dd>
        </div>
      ))}
    </dl>
  );
}

interface InputProps {
  id: string;
  name: string;
  "aria-invalid": boolean | undefined;
  "aria-describedby": string | undefined;
}

function GroupFields({
  step,
  values,
  set,
  error,
  form,
}: {
  step: Step;
  values: Values;
  set: (patch: Partial<Values>) => void;
  error: UserErrorLike | null;
  form: string;
}) {
  const { t } = useTranslation("profile");
  const { label } = useLabels();
  const numberInput = (name: keyof Values) => (props: InputProps) => (
    <NumberInput {...props} className="input-short" value={values[name] as string} onChange={(value) => set({ [name]: value })} />
  );
  switch (step) {
    case "processes":
      return (
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
      );
    case "materials":
      return (
        <Field form={form} name="materials" label={t("capabilities.materials")} hint={t("capabilities.materialsHint")} error={error} optional>
          {(props) => (
            <textarea {...props} rows={5} value={values.materials} onChange={(event) => set({ materials: event.target.value })} />
          )}
        </Field>
      );
    case "quantity":
      return (
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
      );
    case "envelope":
      return (
        <>
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
        </>
      );
    case "description":
      return (
        <Field
          form={form}
          name="description"
          label={t("capabilities.description")}
          hint={t("capabilities.descriptionHint")}
          error={error}
          optional
        >
          {(props) => (
            <textarea {...props} rows={6} value={values.description} onChange={(event) => set({ description: event.target.value })} />
          )}
        </Field>
      );
  }
}

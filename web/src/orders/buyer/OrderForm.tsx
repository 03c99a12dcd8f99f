// The guided order form (GOV.UK: one question group per step, then "check your answers"). Nothing is
// checked here: the API refuses, and its error is shown at the field it names, on the step that asks for it.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { enumValues } from "../../i18n/enums";
import { useFormat } from "../../i18n/format";
import { useLabels } from "../../i18n/labels";
import { CheckboxGroup, ErrorSummary, ErrorText, errorIsFor, Field, fieldId, type UserErrorLike } from "../../ui/forms";
import { NumberInput } from "../../ui/NumberInput";
import { EnumSelect, RegionSelect } from "../../ui/selects";
import {
  CURRENCY,
  isStep,
  localToIso,
  normaliseAmount,
  STEPS,
  stepOfField,
  typingError,
  typingProblem,
  type OrderFormValues,
  type StepId,
} from "./orderForm";
import { Stepper } from "./Stepper";

const FORM = "order";

export interface FormAction {
  id: string;
  label: string;
  primary?: boolean;
}

export function OrderForm({
  initial,
  buyers,
  actions,
  onSubmit,
  allStepsReachable = false,
  buyerLocked = false,
}: {
  initial: OrderFormValues;
  /** The organisations the person may buy for; a choice is asked only when there are several. */
  buyers: readonly { id: string; name: string }[];
  actions: readonly FormAction[];
  onSubmit: (values: OrderFormValues, action: string) => Promise<UserErrorLike | null>;
  allStepsReachable?: boolean;
  /** The order's buyer is fixed (an existing order): shown, not asked. */
  buyerLocked?: boolean;
}) {
  const { t } = useTranslation("buyerOrders");
  const [params, setParams] = useSearchParams();
  const requested = params.get("step");
  const step: StepId = isStep(requested) ? requested : "what";
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<UserErrorLike | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [furthest, setFurthest] = useState(allStepsReachable ? STEPS.length - 1 : 0);
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  // Set when a refusal sends the reader to a step: the error summary takes focus there, not the heading.
  const refused = useRef(false);
  const index = STEPS.indexOf(step);

  useEffect(() => {
    setFurthest((current) => Math.max(current, index));
    if (firstRender.current || refused.current) {
      firstRender.current = false;
      refused.current = false;
      return;
    }
    // A new step: take the reader to its heading.
    heading.current?.focus();
  }, [step, index]);

  const goTo = (next: StepId) => setParams((current) => {
    const copy = new URLSearchParams(current);
    copy.set("step", next);
    return copy;
  });
  const set = <Key extends keyof OrderFormValues>(key: Key, value: OrderFormValues[Key]) =>
    setValues((current) => ({ ...current, [key]: value }));
  const errorStep = stepOfField(error?.field);

  async function submit(action: string) {
    const problem = typingProblem(values);
    if (problem) {
      const refusal = typingError(problem, t(`errors.${problem.key}`));
      refused.current = true;
      setError(refusal);
      goTo(stepOfField(refusal.field) ?? "check");
      return;
    }
    setBusy(action);
    try {
      const refusal = await onSubmit(values, action);
      setError(refusal);
      if (refusal) {
        refused.current = (stepOfField(refusal.field) ?? "check") !== step;
        goTo(stepOfField(refusal.field) ?? "check");
      }
    } finally {
      setBusy(null);
    }
  }

  const stepLabels: Record<StepId, string> = {
    what: t("steps.what"),
    requirements: t("steps.requirements"),
    bidding: t("steps.bidding"),
    check: t("steps.check"),
  };

  return (
    <div className="guided-form">
      <Stepper
        label={t("steps.label")}
        current={step}
        onSelect={goTo}
        steps={STEPS.map((id, position) => ({
          id,
          label: stepLabels[id],
          reachable: position <= furthest || errorStep === id,
          hasError: errorStep === id,
        }))}
      />
      {step === "check" ? (
        <CheckAnswers
          values={values}
          buyers={buyers}
          buyerLocked={buyerLocked}
          error={error}
          heading={heading}
          onChange={goTo}
          actions={actions}
          busy={busy}
          onAction={submit}
        />
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            goTo(STEPS[index + 1]!);
          }}
        >
          <ErrorSummary form={FORM} error={errorStep === step ? error : null} />
          <h2 ref={heading} tabIndex={-1} className="step-heading">
            {stepLabels[step]}
          </h2>
          {step === "what" ? <WhatStep values={values} set={set} error={error} buyers={buyers} /> : null}
          {step === "requirements" ? <RequirementsStep values={values} set={set} error={error} /> : null}
          {step === "bidding" ? <BiddingStep values={values} set={set} error={error} /> : null}
          <p className="actions">
            <button type="submit" className="primary">
              {t("form.continue")}
            </button>
            {index > 0 ? (
              <button type="button" className="link-button" onClick={() => goTo(STEPS[index - 1]!)}>
                {t("form.back")}
              </button>
            ) : null}
          </p>
        </form>
      )}
    </div>
  );
}

type Setter = <Key extends keyof OrderFormValues>(key: Key, value: OrderFormValues[Key]) => void;

function WhatStep({
  values,
  set,
  error,
  buyers,
}: {
  values: OrderFormValues;
  set: Setter;
  error: UserErrorLike | null;
  buyers: readonly { id: string; name: string }[];
}) {
  const { t } = useTranslation("buyerOrders");
  return (
    <>
      {buyers.length > 1 ? (
        <RadioGroup
          name="organisationId"
          legend={t("field.organisation")}
          hint={t("hint.organisation")}
          error={error}
          value={values.organisationId}
          onChange={(value) => set("organisationId", value)}
          options={buyers.map((buyer) => ({ value: buyer.id, label: buyer.name }))}
        />
      ) : null}
      <Field form={FORM} name="title" label={t("field.title")} hint={t("hint.title")} error={error}>
        {(props) => <input {...props} value={values.title} onChange={(e) => set("title", e.target.value)} />}
      </Field>
      <Field form={FORM} name="process" label={t("field.process")} error={error}>
        {(props) => (
          <EnumSelect
            {...props}
            enumName="Process"
            placeholder={t("field.processPlaceholder")}
            value={values.process}
            onChange={(value) => set("process", value)}
          />
        )}
      </Field>
      <Field form={FORM} name="material" label={t("field.material")} hint={t("hint.material")} error={error}>
        {(props) => <input {...props} value={values.material} onChange={(e) => set("material", e.target.value)} />}
      </Field>
      <Field form={FORM} name="quantity" label={t("field.quantity")} hint={t("hint.quantity")} error={error}>
        {(props) => (
          <NumberInput
            {...props}
            className="input-short"
            value={values.quantity}
            onChange={(value) => set("quantity", value)}
          />
        )}
      </Field>
      <Field
        form={FORM}
        name="estimatedMachineHours"
        label={t("field.estimatedMachineHours")}
        hint={t("hint.estimatedMachineHours")}
        error={error}
        optional
      >
        {(props) => (
          <NumberInput
            {...props}
            className="input-short"
            value={values.estimatedMachineHours}
            onChange={(value) => set("estimatedMachineHours", value)}
          />
        )}
      </Field>
      <Field form={FORM} name="toleranceClass" label={t("field.toleranceClass")} hint={t("hint.toleranceClass")} error={error}>
        {(props) => (
          <EnumSelect
            {...props}
            enumName="ToleranceClass"
            value={values.toleranceClass}
            onChange={(value) => set("toleranceClass", value)}
          />
        )}
      </Field>
      <Field form={FORM} name="description" label={t("field.description")} hint={t("hint.description")} error={error} optional>
        {(props) => (
          <textarea {...props} rows={6} value={values.description} onChange={(e) => set("description", e.target.value)} />
        )}
      </Field>
    </>
  );
}

function RequirementsStep({ values, set, error }: { values: OrderFormValues; set: Setter; error: UserErrorLike | null }) {
  const { t } = useTranslation("buyerOrders");
  const { label } = useLabels();
  return (
    <>
      <CheckboxGroup
        form={FORM}
        name="requiredCertifications"
        legend={t("field.requiredCertifications")}
        options={enumValues("CertificationStandard")}
        selected={values.requiredCertifications}
        onChange={(selected) => set("requiredCertifications", selected)}
        labelOf={(value) => label("CertificationStandard", value)}
        error={error}
      />
      <Field form={FORM} name="needBy" label={t("field.needBy")} hint={t("hint.needBy")} error={error}>
        {(props) => (
          <input
            {...props}
            type="date"
            className="input-short"
            value={values.needBy}
            onChange={(e) => set("needBy", e.target.value)}
          />
        )}
      </Field>
      <Field form={FORM} name="deliveryRegion" label={t("field.deliveryRegion")} error={error}>
        {(props) => (
          <RegionSelect {...props} value={values.deliveryRegion} onChange={(value) => set("deliveryRegion", value)} />
        )}
      </Field>
    </>
  );
}

function BiddingStep({ values, set, error }: { values: OrderFormValues; set: Setter; error: UserErrorLike | null }) {
  const { t } = useTranslation("buyerOrders");
  const { label } = useLabels();
  return (
    <>
      <Field form={FORM} name="biddingDeadline" label={t("field.biddingDeadline")} hint={t("hint.biddingDeadline")} error={error}>
        {(props) => (
          <input
            {...props}
            type="datetime-local"
            className="input-short"
            value={values.biddingDeadline}
            onChange={(e) => set("biddingDeadline", e.target.value)}
          />
        )}
      </Field>
      <fieldset className="budget">
        <legend>{t("field.budget")}</legend>
        <p className="hint">{t("hint.budget")}</p>
        <div className="budget-row">
          <Field form={FORM} name="budgetMin" label={t("field.budgetMin")} error={error}>
            {(props) => (
              <NumberInput
                {...props}
                fractionDigits={2}
                unit="₽"
                value={values.budgetMin}
                onChange={(value) => set("budgetMin", value)}
              />
            )}
          </Field>
          <Field form={FORM} name="budgetMax" label={t("field.budgetMax")} error={error}>
            {(props) => (
              <NumberInput
                {...props}
                fractionDigits={2}
                unit="₽"
                value={values.budgetMax}
                onChange={(value) => set("budgetMax", value)}
              />
            )}
          </Field>
        </div>
        <label className="checkbox" id={fieldId(FORM, "budgetIncludesVat")}>
          <input
            type="checkbox"
            checked={values.budgetIncludesVat}
            onChange={(e) => set("budgetIncludesVat", e.target.checked)}
          />
          {t("field.budgetIncludesVat")}
        </label>
      </fieldset>
      <RadioGroup
        name="visibility"
        aliases={["invitedManufacturerIds"]}
        legend={t("field.visibility")}
        hint={t("hint.visibility")}
        error={error}
        value={values.visibility}
        onChange={(value) => set("visibility", value as OrderFormValues["visibility"])}
        options={enumValues("Visibility").map((value) => ({ value, label: label("Visibility", value) }))}
      />
      <fieldset className="field" id={fieldId(FORM, "allowSplit")}>
        <legend>{t("field.allowSplit")}</legend>
        {errorIsFor(error, ["allowSplit"]) && error ? (
          <p className="field-message">
            <ErrorText error={error} />
          </p>
        ) : null}
        <label className="checkbox">
          <input type="checkbox" checked={values.allowSplit} onChange={(e) => set("allowSplit", e.target.checked)} />
          {t("field.allowSplitYes")}
        </label>
        <p className="hint">{t("hint.allowSplit")}</p>
      </fieldset>
    </>
  );
}

function RadioGroup({
  name,
  aliases = [],
  legend,
  hint,
  error,
  value,
  onChange,
  options,
}: {
  name: string;
  aliases?: string[];
  legend: string;
  hint?: string;
  error: UserErrorLike | null;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  const mine = errorIsFor(error, [name, ...aliases]) ? error : null;
  return (
    <fieldset className={mine ? "field field-error radios" : "field radios"} id={fieldId(FORM, name)}>
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {mine ? (
        <p className="field-message">
          <ErrorText error={mine} />
        </p>
      ) : null}
      {options.map((option) => (
        <label key={option.value} className="checkbox">
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

function CheckAnswers({
  values,
  buyers,
  buyerLocked,
  error,
  heading,
  onChange,
  actions,
  busy,
  onAction,
}: {
  values: OrderFormValues;
  buyers: readonly { id: string; name: string }[];
  buyerLocked: boolean;
  error: UserErrorLike | null;
  heading: React.RefObject<HTMLHeadingElement | null>;
  onChange: (step: StepId) => void;
  actions: readonly FormAction[];
  busy: string | null;
  onAction: (action: string) => void;
}) {
  const { t } = useTranslation("buyerOrders");
  const format = useFormat();
  const { label, region } = useLabels();
  const notGiven = t("check.notGiven");
  const money = (text: string) => {
    const amount = normaliseAmount(text);
    return amount ? format.money({ amount, currency: CURRENCY }) : text || notGiven;
  };
  // The NumberInput hands over plain digits ("1200"): shown grouped («1 200 шт.»).
  const whole = (text: string) => (/^\d+$/.test(text) ? format.number(Number(text)) : text);
  const deadline = localToIso(values.biddingDeadline);
  const rows: { field: string; step: StepId; key: string; value: string; fixed?: boolean }[] = [
    ...(buyers.length > 1 || buyerLocked
      ? [
          {
            field: "organisationId",
            step: "what" as const,
            fixed: buyerLocked,
            key: t("field.organisation"),
            value: buyers.find((buyer) => buyer.id === values.organisationId)?.name ?? notGiven,
          },
        ]
      : []),
    { field: "title", step: "what", key: t("field.title"), value: values.title || notGiven },
    { field: "process", step: "what", key: t("field.process"), value: values.process ? label("Process", values.process) : notGiven },
    { field: "material", step: "what", key: t("field.material"), value: values.material || notGiven },
    { field: "quantity", step: "what", key: t("field.quantity"), value: values.quantity ? t("check.pieces", { value: whole(values.quantity) }) : notGiven },
    {
      field: "estimatedMachineHours",
      step: "what",
      key: t("field.estimatedMachineHours"),
      value: values.estimatedMachineHours.trim() ? t("check.hours", { value: whole(values.estimatedMachineHours.trim()) }) : notGiven,
    },
    {
      field: "toleranceClass",
      step: "what",
      key: t("field.toleranceClass"),
      value: values.toleranceClass ? label("ToleranceClass", values.toleranceClass) : notGiven,
    },
    { field: "description", step: "what", key: t("field.description"), value: values.description || notGiven },
    {
      field: "requiredCertifications",
      step: "requirements",
      key: t("field.requiredCertifications"),
      value: values.requiredCertifications.length
        ? values.requiredCertifications.map((c) => label("CertificationStandard", c)).join(", ")
        : t("check.noCertifications"),
    },
    { field: "needBy", step: "requirements", key: t("field.needBy"), value: values.needBy ? format.date(values.needBy) : notGiven },
    {
      field: "deliveryRegion",
      step: "requirements",
      key: t("field.deliveryRegion"),
      value: values.deliveryRegion ? region(values.deliveryRegion) : notGiven,
    },
    { field: "biddingDeadline", step: "bidding", key: t("field.biddingDeadline"), value: deadline ? format.dateTime(deadline) : notGiven },
    { field: "budgetMin", step: "bidding", key: t("field.budgetMin"), value: money(values.budgetMin) },
    { field: "budgetMax", step: "bidding", key: t("field.budgetMax"), value: money(values.budgetMax) },
    {
      field: "budgetIncludesVat",
      step: "bidding",
      key: t("field.budget"),
      value: values.budgetIncludesVat ? t("check.withVat") : t("check.withoutVat"),
    },
    { field: "visibility", step: "bidding", key: t("field.visibility"), value: label("Visibility", values.visibility) },
    {
      field: "allowSplit",
      step: "bidding",
      key: t("field.allowSplit"),
      value: values.allowSplit ? t("check.splitYes") : t("check.splitNo"),
    },
  ];
  return (
    <div>
      <ErrorSummary form={FORM} error={error} />
      <h2 ref={heading} tabIndex={-1} className="step-heading">
        {t("steps.check")}
      </h2>
      <p className="hint">{t("check.lead")}</p>
      <dl className="summary-list">
        {rows.map((row) => {
          const wrong = errorIsFor(error, row.field === "visibility" ? ["visibility", "invitedManufacturerIds"] : [row.field]);
          return (
            <div key={row.field} className={wrong ? "summary-row summary-row-error" : "summary-row"}>
              <dt>{row.key}</dt>
              <dd>
                {row.value}
                {wrong && error ? (
                  <span className="field-message summary-message">
                    <ErrorText error={error} />
                  </span>
                ) : null}
              </dd>
              <dd className="summary-change">
                {row.fixed ? null : (
                  <button type="button" className="link-button" onClick={() => onChange(row.step)}>
                    {t("check.change")}
                    <span className="visually-hidden"> — {row.key}</span>
                  </button>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      <p className="actions">
        {actions.map((action) => (
          <button
            key={action.id}
            type="button"
            className={action.primary ? "primary" : undefined}
            disabled={busy !== null}
            onClick={() => onAction(action.id)}
          >
            {busy === action.id ? t("form.working") : action.label}
          </button>
        ))}
      </p>
    </div>
  );
}

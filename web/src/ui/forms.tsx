// GOV.UK-style form pieces: a label on every input, the error at its field and summarised at the top.
// The API decides what is wrong (UserError.field, in the API's spelling); the form only shows it.
import { useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage, type UserErrorLike } from "../errors/userError";

export { userErrorOf, type UserErrorLike } from "../errors/userError";

/** The refusal in the page's language: our words for its code (src/errors/messages.ts); the API's own
 * (English) message only for a code this build does not know, marked as English for screen readers. */
export function ErrorText({ error }: { error: UserErrorLike }) {
  const { t, i18n } = useTranslation();
  const text = errorMessage(error, t);
  if (text === error.message && error.code && i18n.language !== "en") return <span lang="en">{text}</span>;
  return <>{text}</>;
}

export function fieldId(form: string, field: string): string {
  return `${form}-${field}`;
}

export function ErrorSummary({ form, error }: { form: string; error: UserErrorLike | null | string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const message = typeof error === "string" ? error : <ErrorText error={error} />;
  const field = typeof error === "string" ? null : error.field;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={`${form}-error-title`}>
      <h2 id={`${form}-error-title`}>{t("form.errorSummary")}</h2>
      <ul>
        <li>{field ? <a href={`#${fieldId(form, field)}`}>{message}</a> : message}</li>
      </ul>
    </div>
  );
}

interface FieldProps {
  form: string;
  name: string;
  label: string;
  hint?: string;
  error?: UserErrorLike | null;
  /** Other API field names whose errors belong to this input (e.g. "input.budgetMin"). */
  aliases?: string[];
  optional?: boolean;
  children: (props: {
    id: string;
    name: string;
    "aria-invalid": boolean | undefined;
    "aria-describedby": string | undefined;
  }) => React.ReactNode;
}

/** True when the API's error names this field (its spelling, with or without the input's prefix). */
export function errorIsFor(error: UserErrorLike | null | undefined, names: string[]): boolean {
  if (!error?.field) return false;
  const field = error.field;
  return names.some((name) => field === name || field.endsWith(`.${name}`));
}

export function Field({ form, name, label, hint, error, aliases = [], optional, children }: FieldProps) {
  const { t } = useTranslation();
  const id = fieldId(form, name);
  const hintId = useId();
  const errorId = useId();
  const mine = errorIsFor(error, [name, ...aliases]) ? error : null;
  const describedBy = [hint ? hintId : null, mine ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={mine ? "field field-error" : "field"}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="muted"> ({t("form.optional")})</span> : null}
      </label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {mine ? (
        <p className="field-message" id={errorId}>
          <ErrorText error={mine} />
        </p>
      ) : null}
      {children({ id, name, "aria-invalid": mine ? true : undefined, "aria-describedby": describedBy })}
    </div>
  );
}

/** A group of checkboxes (a fieldset with a legend), e.g. processes or certifications. */
export function CheckboxGroup<Value extends string>({
  legend,
  options,
  selected,
  onChange,
  labelOf,
  name,
  error,
  form,
}: {
  legend: string;
  options: readonly Value[];
  selected: readonly Value[];
  onChange: (values: Value[]) => void;
  labelOf: (value: Value) => string;
  name: string;
  form: string;
  error?: UserErrorLike | null;
}) {
  const mine = errorIsFor(error, [name]) ? error : null;
  return (
    <fieldset className={mine ? "field field-error checkbox-group" : "field checkbox-group"} id={fieldId(form, name)}>
      <legend>{legend}</legend>
      {mine ? (
        <p className="field-message">
          <ErrorText error={mine} />
        </p>
      ) : null}
      <div className="checkbox-grid">
        {options.map((value) => (
          <label key={value} className="checkbox">
            <input
              type="checkbox"
              name={name}
              value={value}
              checked={selected.includes(value)}
              onChange={(event) =>
                onChange(
                  event.target.checked ? [...selected, value] : selected.filter((chosen) => chosen !== value),
                )
              }
            />
            {labelOf(value)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

// The steps of a long form as a list: where you are ("Шаг 2 из 4"), which steps you may go back to, and
// which step holds an error. The form decides the order of steps; this only shows and moves between them.
import { useTranslation } from "react-i18next";

export interface StepItem<Id extends string> {
  id: Id;
  label: string;
  /** Reachable steps are links; the others are plain text. */
  reachable: boolean;
  hasError?: boolean;
}

export function Stepper<Id extends string>({
  steps,
  current,
  onSelect,
  label,
}: {
  steps: readonly StepItem<Id>[];
  current: Id;
  onSelect: (id: Id) => void;
  label: string;
}) {
  const { t } = useTranslation("buyerOrders");
  const index = steps.findIndex((step) => step.id === current);
  return (
    <nav aria-label={label} className="stepper">
      <p className="stepper-position">{t("steps.position", { index: index + 1, count: steps.length })}</p>
      <ol>
        {steps.map((step, position) => {
          const isCurrent = step.id === current;
          const text = (
            <>
              <span className="stepper-number" aria-hidden="true">
                {position + 1}
              </span>
              <span>{step.label}</span>
              {step.hasError ? <span className="stepper-error">{t("steps.hasError")}</span> : null}
            </>
          );
          const className = [
            "stepper-step",
            isCurrent ? "stepper-current" : "",
            position < index ? "stepper-done" : "",
            step.hasError ? "stepper-has-error" : "",
          ]
            .filter(Boolean)
            .join(" ");
          return (
            <li key={step.id} className={className} aria-current={isCurrent ? "step" : undefined}>
              {step.reachable && !isCurrent ? (
                <button type="button" className="stepper-link" onClick={() => onSelect(step.id)}>
                  {text}
                </button>
              ) : (
                <span className="stepper-link">{text}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

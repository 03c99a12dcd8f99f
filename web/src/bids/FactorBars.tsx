// A score explained: one bar per factor (its value from 0 to 100) with the same facts as text beside it, so
// that the bars are never the only way to read the explanation.
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";

export const FactorBarsFragment = graphql(`
  fragment FactorBars on FactorExplanation {
    factor
    value
    weight
    contribution
  }
`);

export function FactorBars({
  explanations,
  label,
}: {
  explanations: readonly FragmentOf<typeof FactorBarsFragment>[];
  label: string;
}) {
  const { t } = useTranslation("bids");
  const format = useFormat();
  const factors = explanations.map((data) => readFragment(FactorBarsFragment, data));
  return (
    <ul className="factor-bars" aria-label={label}>
      {factors.map((factor) => {
        const name = t(`factor.${factor.factor}`, { defaultValue: factor.factor });
        const percent = Math.round(Math.max(0, Math.min(1, factor.value)) * 100);
        return (
          <li key={factor.factor}>
            <span className="factor-text">
              {t("factor.line", {
                factor: name,
                value: format.number(percent),
                weight: format.number(Math.round(factor.weight * 100) / 100),
                contribution: format.number(Math.round(factor.contribution * 100) / 100),
              })}
            </span>
            <span className="factor-bar" aria-hidden="true">
              <span className="factor-fill" style={{ width: `${percent}%` }} />
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** A score in [0, 1] as a number out of 100, for people. */
export function scoreOutOf100(score: number): number {
  return Math.round(Math.max(0, Math.min(1, score)) * 100);
}

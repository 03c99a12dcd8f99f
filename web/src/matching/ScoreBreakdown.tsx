// A fit score explained as one bar per factor: the bar's length is what the factor can add at most (its
// weight's share), the filled part what it added (value × weight). Every number is also written out, so
// neither the bars nor their colours carry meaning alone.
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { useFormat } from "../i18n/format";

export const ScoreExplanationFragment = graphql(`
  fragment ScoreExplanation on FactorExplanation {
    factor
    value
    weight
    contribution
  }
`);

/** Points out of 100, one decimal at most. */
function points(share: number): number {
  return Math.round(share * 1000) / 10;
}

export function ScoreBreakdown({
  name,
  score,
  explanations,
}: {
  name: string;
  score: number;
  explanations: readonly FragmentOf<typeof ScoreExplanationFragment>[];
}) {
  const { t } = useTranslation("matching");
  const format = useFormat();
  const rows = explanations.map((data) => readFragment(ScoreExplanationFragment, data));
  const totalWeight = rows.reduce((sum, row) => sum + row.weight, 0);
  const share = (weight: number) => (totalWeight > 0 ? weight / totalWeight : 0);
  const largest = Math.max(0, ...rows.map((row) => share(row.weight)));
  const percent = (value: number) => new Intl.NumberFormat(format.language, { style: "percent" }).format(value);
  return (
    <div className="score">
      <p className="score-total">{t("score.total", { points: format.number(points(score)) })}</p>
      <table className="factor-table">
        <caption className="visually-hidden">{t("score.caption", { name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("score.factor")}</th>
            <th scope="col">{t("score.contribution")}</th>
            <th scope="col" className="number">
              {t("score.points")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const max = share(row.weight);
            return (
              <tr key={row.factor}>
                <th scope="row">{t(`factor.${row.factor}`, { defaultValue: row.factor })}</th>
                <td>
                  <span className="factor-bar" aria-hidden="true">
                    <span
                      className="factor-bar-max"
                      data-testid="factor-bar"
                      style={{ width: `${largest > 0 ? (max / largest) * 100 : 0}%` }}
                    >
                      <span className="factor-bar-fill" style={{ width: `${Math.min(1, Math.max(0, row.value)) * 100}%` }} />
                    </span>
                  </span>
                  <span className="factor-detail">
                    {t("score.detail", { value: percent(row.value), weight: format.number(row.weight) })}
                  </span>
                </td>
                <td className="number">
                  {t("score.pointsOf", {
                    points: format.number(points(row.contribution)),
                    max: format.number(points(max)),
                  })}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

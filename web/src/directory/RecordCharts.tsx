// Small inline SVG charts of a manufacturer's record month by month (Organisation.kpiHistory): the on-time
// share of what it shipped, disputes, and the rating of its reviews. No chart library; each chart is an image
// with a text alternative, and the numbers are in a table for those who want them.
import { useTranslation } from "react-i18next";
import { graphql, readFragment, type FragmentOf } from "../graphql";
import { localeOf } from "../i18n/format";

export const RecordChartsFragment = graphql(`
  fragment RecordCharts on Organisation {
    id
    kpiHistory(months: 12) {
      month
      delivered
      deliveredOnTime
      disputed
      ratingAverage
      ratingCount
    }
  }
`);

export interface Point {
  label: string;
  value: number | null; // null: nothing to measure that month
}

const WIDTH = 240;
const HEIGHT = 64;

/** Bars as SVG rectangles: heights scaled to `max`; a zero gets a stub (measured, nothing happened), a month
 * without a value no bar at all. */
export function barsOf(points: readonly Point[], max: number): { x: number; y: number; width: number; height: number }[] {
  const slot = WIDTH / Math.max(points.length, 1);
  return points.flatMap((point, index) => {
    if (point.value === null) return [];
    const height = Math.max(2, max > 0 ? Math.round((Math.min(point.value, max) / max) * (HEIGHT - 4)) : 0);
    return [{ x: Math.round(index * slot + slot * 0.15), y: HEIGHT - height, width: Math.max(1, Math.round(slot * 0.7)), height }];
  });
}

function Chart({ title, summary, points, max, format }: { title: string; summary: string; points: Point[]; max: number; format: (value: number) => string }) {
  const { t } = useTranslation("directory");
  const figures = t("charts.figures");
  const bars = barsOf(points, max);
  return (
    <figure className="record-chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 14}`} width={WIDTH} height={HEIGHT + 14} role="img" aria-label={`${title}: ${summary}`}>
        <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="chart-axis" />
        {bars.map((bar, index) => (
          <rect key={index} {...bar} className={bar.height > 2 ? "chart-bar" : "chart-bar chart-bar-zero"} />
        ))}
        <text x="0" y={HEIGHT + 12} className="chart-label">
          {points[0]?.label}
        </text>
        <text x={WIDTH} y={HEIGHT + 12} textAnchor="end" className="chart-label">
          {points[points.length - 1]?.label}
        </text>
      </svg>
      <details>
        <summary>{figures}</summary>
        <table>
          <tbody>
            {points.map((point) => (
              <tr key={point.label}>
                <th scope="row">{point.label}</th>
                <td className="number">{point.value === null ? "—" : format(point.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function RecordCharts({ data }: { data: FragmentOf<typeof RecordChartsFragment> }) {
  const { t, i18n } = useTranslation("directory");
  const organisation = readFragment(RecordChartsFragment, data);
  const history = organisation.kpiHistory;
  if (!history.some((month) => month.delivered > 0 || month.ratingCount > 0)) return null;
  const locale = localeOf(i18n.language);
  const monthLabel = (iso: string) =>
    new Intl.DateTimeFormat(locale, { month: "short", year: "2-digit", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
  const percent = (value: number) => new Intl.NumberFormat(locale, { style: "percent" }).format(value);
  const onTime = history.map((m) => ({ label: monthLabel(m.month), value: m.delivered ? m.deliveredOnTime / m.delivered : null }));
  const disputes = history.map((m) => ({ label: monthLabel(m.month), value: m.delivered ? m.disputed : null }));
  const rating = history.map((m) => ({ label: monthLabel(m.month), value: m.ratingAverage ?? null }));
  const shipped = history.reduce((sum, m) => sum + m.delivered, 0);
  const onTimeTotal = history.reduce((sum, m) => sum + m.deliveredOnTime, 0);
  const disputedTotal = history.reduce((sum, m) => sum + m.disputed, 0);
  const rated = history.filter((m) => m.ratingCount > 0);
  return (
    <div className="record-charts" aria-label={t("charts.title")} role="group">
      <Chart
        title={t("charts.onTime")}
        summary={t("charts.onTimeSummary", { onTime: onTimeTotal, count: shipped })}
        points={onTime}
        max={1}
        format={percent}
      />
      <Chart
        title={t("charts.disputes")}
        summary={t("charts.disputesSummary", { disputed: disputedTotal, count: shipped })}
        points={disputes}
        max={Math.max(1, ...disputes.map((p) => p.value ?? 0))}
        format={(value) => String(value)}
      />
      <Chart
        title={t("charts.rating")}
        summary={t("charts.ratingSummary", { count: rated.reduce((sum, m) => sum + m.ratingCount, 0) })}
        points={rating}
        max={5}
        format={(value) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)}
      />
    </div>
  );
}

// Small horizontal bars, one per status, drawn as inline SVG (no chart library): the count is written next to
// each bar, and the whole chart is described for screen readers in one sentence.
import { useTranslation } from "react-i18next";

export interface Bar {
  key: string;
  label: string;
  count: number;
}

const ROW = 22;
const LABEL_WIDTH = 170;
const BAR_WIDTH = 220;

/** Bar lengths in px, the longest filling the width; a non-zero count never disappears (at least 2 px). */
export function barLengths(counts: number[], width: number = BAR_WIDTH): number[] {
  const most = Math.max(0, ...counts);
  return counts.map((count) => (count <= 0 || most === 0 ? 0 : Math.max(2, Math.round((count / most) * width))));
}

export function StatusBars({ title, bars }: { title: string; bars: Bar[] }) {
  const { t } = useTranslation("operator");
  const lengths = barLengths(bars.map((bar) => bar.count));
  const summary = bars.map((bar) => `${bar.label} ${bar.count}`).join(", ");
  const height = bars.length * ROW;
  return (
    <figure className="status-bars">
      <figcaption>{title}</figcaption>
      <svg
        role="img"
        aria-label={t("glance.chart", { title, summary })}
        viewBox={`0 0 ${LABEL_WIDTH + BAR_WIDTH + 60} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        {bars.map((bar, index) => (
          <g key={bar.key} transform={`translate(0 ${index * ROW})`} data-status={bar.key}>
            <text x={0} y={15} className="bar-label">
              {bar.label}
            </text>
            <rect x={LABEL_WIDTH} y={4} width={lengths[index]} height={14} rx={2} className="bar" />
            <text x={LABEL_WIDTH + (lengths[index] ?? 0) + 6} y={15} className="bar-count">
              {bar.count}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

/**
 * One small Chart.js wrapper. Only the pieces we draw are registered, so the
 * bundle carries no unused chart types. Canvas cannot read CSS variables, so
 * token colours are resolved from the document each time the chart is drawn, and it is
 * drawn again when the theme changes while the page is open (`useThemeChange`): it kept
 * the old theme's colours, dark text on a dark page, until something else redrew it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
} from 'chart.js';
import { useThemeChange } from '../shared/use-theme-change';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

function tokenColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export interface Series {
  label: string;
  /** null: no value here (no point, no bar; a line goes on from the point before to the next). */
  values: Array<number | null>;
  /** A --ds-* custom property and its light-theme fallback. */
  color: [string, string];
  /** Values set apart from the trend: a cross each, on no line (an outlined bar in a bar chart). */
  apart?: boolean;
}

export function SimpleChart({
  kind,
  labels,
  series,
  title,
  testId,
  stacked = false,
}: {
  kind: 'bar' | 'line';
  labels: string[];
  series: Series[];
  title: string;
  testId: string;
  /** Bars of the series one on top of the other (parts of one whole) instead of side by side. */
  stacked?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const tableId = useId();
  // The values are in a table screen readers always reach; "Show numbers" puts it in view,
  // for keyboard and touch users (the chart's tooltips need a pointer) and for anyone who
  // cannot tell the series' colours apart.
  const [numbers, setNumbers] = useState(false);
  const themeChanges = useThemeChange();
  useEffect(() => {
    if (!canvas.current) return;
    const text = tokenColor('--ds-text-subtle', '#44546f');
    const grid = tokenColor('--ds-border', '#091e4224');
    const chart = new Chart(canvas.current, {
      type: kind,
      data: {
        labels,
        datasets: series.map((s) => {
          const color = tokenColor(s.color[0], s.color[1]);
          if (s.apart === true) {
            return kind === 'line'
              ? { label: s.label, data: s.values, showLine: false, pointStyle: 'crossRot' as const, pointRadius: 7, pointHoverRadius: 8, pointBorderWidth: 2, backgroundColor: color, borderColor: color }
              : { label: s.label, data: s.values, backgroundColor: 'transparent', borderColor: color, borderWidth: 2, maxBarThickness: 56 };
          }
          // Bars stay bar-shaped when there are only a few of them (one or two runs); a line
          // goes on over a missing value rather than breaking there.
          return { label: s.label, data: s.values, backgroundColor: color, borderColor: color, borderWidth: kind === 'line' ? 2 : 0, tension: 0, maxBarThickness: 56, spanGaps: true };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        // With marks set apart, the legend shows each series' mark (a dot or a cross), not a box.
        plugins: { legend: { display: series.length > 1, labels: { color: text, usePointStyle: series.some((s) => s.apart === true) && kind === 'line' } } },
        scales: {
          x: { stacked, ticks: { color: text }, grid: { color: grid } },
          y: { stacked, beginAtZero: true, ticks: { color: text, precision: 0 }, grid: { color: grid } },
        },
      },
    });
    return () => chart.destroy();
  }, [kind, labels, series, stacked, themeChanges]);

  // The canvas is decoration for sighted users; the table carries the same data for everyone else.
  return (
    <figure style={{ margin: 0 }} data-testid={testId} data-kind={kind}>
      <div className="dd-row dd-row--between">
        {/* A heading too, so a screen reader's list of headings reaches every chart. */}
        <figcaption>
          <h3 className="dd-h3">{title}</h3>
        </figcaption>
        <button
          type="button"
          className="dd-btn dd-btn--subtle dd-btn--small"
          aria-expanded={numbers}
          aria-controls={tableId}
          onClick={() => setNumbers((v) => !v)}
          data-testid={`${testId}-numbers`}
        >
          {numbers ? 'Hide numbers' : 'Show numbers'}
          <span className="dd-visually-hidden"> for {title}</span>
        </button>
      </div>
      <div style={{ position: 'relative', height: 220 }}>
        <canvas ref={canvas} role="img" aria-label={`${title} chart; the same data follows as a table`} />
      </div>
      {/* Out of sight, the table sits in a clipped box: a table ignores a width of 1 px and would widen the page. */}
      <div id={tableId} className={numbers ? 'dd-table-wrap' : 'dd-visually-hidden'} data-testid={`${testId}-table`}>
      <table className="dd-table">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Label</th>
            {series.map((s) => (
              <th key={s.label} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((l, i) => (
            <tr key={`${l}-${i}`}>
              <th scope="row">{l}</th>
              {series.map((s) => (
                <td key={s.label}>{typeof s.values[i] === 'number' ? s.values[i].toLocaleString('en-US') : '–'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}

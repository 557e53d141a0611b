/** One chart of the container page: a uPlot plot in a card, sized to its card, with a keyboard-usable legend. */
import uPlot from 'uplot';
import { formatBytes, formatValue, h } from '../dom.ts';

export type Unit = 'cores' | 'bytes' | 'rate' | 'count';

const palette = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#db2777', '#65a30d'];

/** Narrowest plot drawn, px (a phone's card is about 340 px wide). */
const minWidth = 160;
const height = 200;

export function format(unit: Unit, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '--';
  // Below 1 KiB formatBytes rounds to whole bytes: keep small values (axis ticks of a quiet disk) apart.
  const bytes = (n: number) =>
    n > 0 && n < 1024 && !Number.isInteger(n) ? `${Number(n.toPrecision(3))} B` : formatBytes(n);
  if (unit === 'bytes') return bytes(v);
  if (unit === 'rate') return `${bytes(v)}/s`;
  if (unit === 'cores') return v.toFixed(3);
  return formatValue(v);
}

/** One series of a chart: its legend label and one value (or a gap) per time. */
export interface SeriesData {
  label: string;
  values: (number | null)[];
}

export interface ChartCard {
  readonly card: HTMLElement;
  /**
   * Draws `series` over `times` (Unix seconds), the x axis spanning `range` when given. A change of the series'
   * labels rebuilds the plot. Records on the chart element `data-last` (Unix ms of the newest time),
   * `data-points` (non-gap values) and `data-series` (the labels, `|`-separated).
   */
  set(times: readonly number[], series: readonly SeriesData[], range?: [number, number]): void;
  destroy(): void;
}

export function chartCard(key: string, title: string, unit: Unit): ChartCard {
  /** The x range shown (Unix seconds): the whole window, even before it fills up. */
  let xRange: [number, number] | undefined;
  const body = h('div', { class: 'chart', 'data-chart': key, 'data-points': '0' });
  const card = h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), body);
  let plot: uPlot | undefined;
  let labels: string[] = [];
  const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(body.clientWidth, minWidth), height }));
  resize.observe(body);
  const create = (data: uPlot.AlignedData) => {
    plot?.destroy();
    plot = new uPlot(
      {
        width: Math.max(body.clientWidth, minWidth),
        height,
        legend: { live: true },
        scales: {
          x: { time: true, range: (_u, min, max) => xRange ?? [min, max] },
          // Every figure here is ≥ 0: start at 0 so that small changes do not look large.
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          { stroke: 'currentColor', grid: { stroke: '#8884', width: 1 } },
          {
            stroke: 'currentColor',
            grid: { stroke: '#8884', width: 1 },
            size: 80,
            values: (_u, ticks) => ticks.map((v) => format(unit, v)),
          },
        ],
        series: [
          {},
          ...labels.map((label, i) => ({
            label,
            stroke: palette[i % palette.length] as string,
            width: 1.5,
            value: (_u: uPlot, v: number | null) => format(unit, v),
          })),
        ],
      },
      data,
      body,
    );
    keyboardLegend(plot, body);
  };
  return {
    card,
    set(times, series, range) {
      xRange = range;
      const data = [times, ...series.map((s) => s.values)] as uPlot.AlignedData;
      const next = series.map((s) => s.label);
      if (plot === undefined || next.join('\n') !== labels.join('\n')) {
        labels = next;
        create(data);
      } else plot.setData(data);
      let points = 0;
      for (const s of series) for (const y of s.values) if (y != null) points++;
      body.dataset.points = String(points);
      body.dataset.series = labels.join('|');
      body.dataset.last = times.length > 0 ? String(Math.round((times[times.length - 1] as number) * 1000)) : '';
    },
    destroy() {
      resize.disconnect();
      plot?.destroy();
      plot = undefined;
    },
  };
}

/** Makes each legend entry a toggle button reachable by Tab (uPlot's legend only listens to clicks). */
function keyboardLegend(plot: uPlot, body: HTMLElement): void {
  body.querySelectorAll<HTMLElement>('.u-legend .u-series').forEach((row, i) => {
    const th = row.querySelector('th');
    if (i === 0 || th === null) return;
    const sync = () => th.setAttribute('aria-pressed', String(plot.series[i]?.show !== false));
    th.tabIndex = 0;
    th.setAttribute('role', 'button');
    sync();
    th.addEventListener('click', () => queueMicrotask(sync));
    th.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      th.click();
    });
  });
}

/** Aligns range-query series on one time axis (seconds); a missing sample is a gap. */
export function alignSeries(series: readonly { label: string; values: readonly [number, string][] }[]): {
  times: number[];
  series: SeriesData[];
} {
  const times = [...new Set(series.flatMap((s) => s.values.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  return {
    times,
    series: series.map((s) => {
      const values: (number | null)[] = new Array(times.length).fill(null);
      for (const [t, v] of s.values) values[index.get(t) as number] = Number(v);
      return { label: s.label, values };
    }),
  };
}

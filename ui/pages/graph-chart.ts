/** The range chart: uPlot with its legend (click a series to toggle it, hover for values) and a stacked mode. */
import uPlot from 'uplot';
import { seriesName } from '../dom.ts';

export interface MatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

const palette = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#d97706',
  '#9333ea',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#ea580c',
  '#4f46e5',
];

/**
 * Aligns the series on one time axis (seconds): range results share the step grid, so the union of their
 * timestamps is that grid; a series without a sample at a step gets null (a gap). Stacked mode sums the series
 * in order, treating gaps as 0.
 */
export function alignedData(series: readonly MatrixSeries[], stacked: boolean): uPlot.AlignedData {
  const times = [...new Set(series.flatMap((s) => s.values.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const ys = series.map((s) => {
    const y: (number | null)[] = new Array(times.length).fill(null);
    for (const [t, v] of s.values) y[index.get(t) as number] = Number(v);
    return y;
  });
  if (stacked) {
    const acc: number[] = new Array(times.length).fill(0);
    for (const y of ys) {
      for (let i = 0; i < y.length; i++) {
        acc[i] = (acc[i] as number) + (y[i] ?? 0);
        y[i] = acc[i] as number;
      }
    }
  }
  return [times, ...ys] as uPlot.AlignedData;
}

/** The legend's value of series `si` at index `idx` from the unstacked data. */
function ownValue(raw: uPlot.AlignedData, si: number) {
  return (_u: uPlot, _v: number | null, _si: number, idx: number | null): string => {
    const v = idx === null ? null : raw[si]?.[idx];
    return v === null || v === undefined ? '--' : String(v);
  };
}

/** Draws the chart into `parent`, sized to its width; returns a function that destroys it. */
export function drawChart(parent: HTMLElement, series: readonly MatrixSeries[], stacked: boolean): () => void {
  const width = Math.max(parent.clientWidth, 300);
  // Stacked lines are drawn at their running sums; the legend shows each series' own value.
  const raw = stacked ? alignedData(series, false) : undefined;
  const opts: uPlot.Options = {
    width,
    height: 300,
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    scales: { x: { time: true } },
    axes: [
      { stroke: 'currentColor', grid: { stroke: '#8884', width: 1 } },
      { stroke: 'currentColor', grid: { stroke: '#8884', width: 1 }, size: 60 },
    ],
    series: [
      {},
      ...series.map((s, i) => {
        const color = palette[i % palette.length] as string;
        return {
          label: seriesName(s.metric),
          stroke: color,
          width: 1.5,
          spanGaps: false,
          ...(raw === undefined ? {} : { fill: `${color}33`, value: ownValue(raw, i + 1) }),
        };
      }),
    ],
  };
  const plot = new uPlot(opts, alignedData(series, stacked), parent);
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(parent.clientWidth, 300), height: 300 }));
  resize.observe(parent);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}

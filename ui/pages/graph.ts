/** Graph: the expression browser. Several panels, each an editor with a table (instant) and a graph (range) tab. */
import { ApiError, getData } from '../api.ts';
import { formatValue, h, seriesName } from '../dom.ts';
import { drawChart, type MatrixSeries } from './graph-chart.ts';
import { createEditor } from './graph-editor.ts';
import {
  defaultPanel,
  type PanelState,
  parseDuration,
  ranges,
  readPanels,
  type Tab,
  writePanels,
} from './graph-state.ts';
import { queryErrorText } from './query-error.ts';

interface QueryResult {
  resultType: 'matrix' | 'vector' | 'scalar' | 'string';
  result: unknown;
}

function resultTable(r: QueryResult): HTMLElement {
  const rows: HTMLElement[] = [];
  if (r.resultType === 'vector') {
    for (const s of r.result as { metric: Record<string, string>; value: [number, string] }[]) {
      rows.push(
        h(
          'tr',
          {},
          h('td', { class: 'mono' }, seriesName(s.metric)),
          h('td', { class: 'num' }, formatValue(s.value[1])),
        ),
      );
    }
  } else if (r.resultType === 'matrix') {
    for (const s of r.result as MatrixSeries[]) {
      rows.push(
        h(
          'tr',
          {},
          h('td', { class: 'mono' }, seriesName(s.metric)),
          h('td', { class: 'num' }, s.values.map(([t, v]) => `${formatValue(v)} @${t}`).join('\n')),
        ),
      );
    }
  } else {
    const [, v] = r.result as [number, string];
    rows.push(
      h(
        'tr',
        {},
        h('td', { class: 'mono' }, r.resultType),
        h('td', { class: 'num' }, r.resultType === 'scalar' ? formatValue(v) : v),
      ),
    );
  }
  if (rows.length === 0) return h('p', { class: 'muted' }, 'Empty query result');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'result' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Series'), h('th', { class: 'num' }, 'Value'))),
      h('tbody', {}, rows),
    ),
  );
}

/** An ISO time as a `datetime-local` input shows it: local time, to the second. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

/** About 250 points over the range, at least a second. */
function autoStepSeconds(rangeMs: number): number {
  return Math.max(1, Math.round(rangeMs / 250 / 1000));
}

function panel(
  state: PanelState,
  onChange: () => void,
  onRemove: (() => void) | undefined,
  signal: AbortSignal,
): HTMLElement {
  const editorBox = h('div', { class: 'editor' });
  const output = h('div', { class: 'output' });
  const error = h('div', { class: 'error', role: 'alert' });
  const stats = h('span', { class: 'muted' });
  let destroyChart: (() => void) | undefined;
  let inflight: AbortController | undefined;
  signal.addEventListener('abort', () => {
    inflight?.abort();
    destroyChart?.();
  });

  const tabButton = (tab: Tab, label: string) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        'data-tab': tab,
        'aria-selected': String(state.tab === tab),
        onclick: () => setTab(tab),
      },
      label,
    );
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, tabButton('table', 'Table'), tabButton('graph', 'Graph'));
  const rangeSel = h(
    'select',
    { 'aria-label': 'Range' },
    ranges.map((r) => h('option', { value: r, selected: r === state.range }, r)),
  );
  const endInput = h('input', { type: 'datetime-local', 'aria-label': 'End time (empty: now)', step: '1' });
  if (state.end !== '') endInput.value = toLocalInput(state.end);
  const stepInput = h('input', {
    'aria-label': 'Resolution (step)',
    placeholder: 'step (auto)',
    size: '8',
    value: state.step,
  });
  const stackedBox = h('input', { type: 'checkbox', checked: state.stacked });
  const graphControls = h(
    'div',
    { class: 'row graph-controls' },
    rangeSel,
    endInput,
    stepInput,
    h('label', {}, stackedBox, ' Stacked'),
  );

  const execute = async () => {
    state.expr = editor.value();
    onChange();
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    error.textContent = '';
    stats.textContent = '';
    destroyChart?.();
    destroyChart = undefined;
    if (state.expr.trim() === '') {
      output.replaceChildren(h('p', { class: 'muted' }, 'Enter an expression.'));
      return;
    }
    output.replaceChildren(h('p', { class: 'muted' }, 'Running…'));
    const began = performance.now();
    try {
      if (state.tab === 'table') {
        const r = await getData<QueryResult>(
          '/api/v1/query',
          { query: state.expr, ...(state.end ? { time: String(Date.parse(state.end) / 1000) } : {}) },
          ctrl.signal,
        );
        output.replaceChildren(resultTable(r));
        stats.textContent = `${(performance.now() - began).toFixed(0)} ms`;
      } else {
        const rangeMs = parseDuration(state.range) ?? 3_600_000;
        const endMs = state.end ? Date.parse(state.end) : Date.now();
        const step = state.step ? (parseDuration(state.step) ?? 1000) / 1000 : autoStepSeconds(rangeMs);
        const r = await getData<QueryResult>(
          '/api/v1/query_range',
          { query: state.expr, start: String((endMs - rangeMs) / 1000), end: String(endMs / 1000), step: String(step) },
          ctrl.signal,
        );
        if (r.resultType !== 'matrix') throw new ApiError(400, 'bad_data', `range query returned a ${r.resultType}`);
        const series = r.result as MatrixSeries[];
        const fetched = performance.now();
        output.replaceChildren();
        if (series.length === 0) {
          output.append(h('p', { class: 'muted' }, 'Empty query result'));
        } else {
          const chart = h('div', { class: 'chart' });
          output.append(chart);
          destroyChart = drawChart(chart, series, state.stacked);
        }
        // uPlot paints in the constructor and on the next frame: count until that frame.
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const drawn = performance.now();
        stats.textContent = `${series.length} series, step ${step}s, query ${(fetched - began).toFixed(0)} ms, draw ${(drawn - fetched).toFixed(0)} ms`;
      }
    } catch (err) {
      if (ctrl.signal.aborted) return;
      const message = err instanceof Error ? err.message : String(err);
      output.replaceChildren();
      error.textContent = queryErrorText(message);
      editor.showError(message);
    }
  };

  const setTab = (tab: Tab) => {
    state.tab = tab;
    for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    graphControls.hidden = tab !== 'graph';
    void execute();
  };
  graphControls.hidden = state.tab !== 'graph';
  rangeSel.addEventListener('change', () => {
    state.range = rangeSel.value;
    void execute();
  });
  endInput.addEventListener('change', () => {
    state.end = endInput.value === '' ? '' : new Date(endInput.value).toISOString();
    void execute();
  });
  stepInput.addEventListener('change', () => {
    const v = stepInput.value.trim();
    state.step = v === '' || parseDuration(v) !== undefined ? v : state.step;
    stepInput.value = state.step;
    void execute();
  });
  stackedBox.addEventListener('change', () => {
    state.stacked = stackedBox.checked;
    void execute();
  });

  const editor = createEditor(editorBox, state.expr, () => void execute());
  signal.addEventListener('abort', () => editor.view.destroy());
  const section = h(
    'section',
    { class: 'card panel' },
    h(
      'div',
      { class: 'row' },
      editorBox,
      h('button', { type: 'button', class: 'primary', onclick: () => void execute() }, 'Execute'),
      onRemove ? h('button', { type: 'button', 'aria-label': 'Remove panel', onclick: onRemove }, '✕') : null,
    ),
    tabs,
    graphControls,
    error,
    output,
    stats,
  );
  if (state.expr !== '') queueMicrotask(() => void execute());
  return section;
}

export function mountGraph(root: HTMLElement, signal: AbortSignal): void {
  const panels = readPanels(location.search);
  const list = h('div', {});
  const sync = () => history.replaceState(null, '', `/graph${writePanels(panels)}`);
  let panelSignals: AbortController[] = [];
  const draw = () => {
    for (const c of panelSignals) c.abort();
    panelSignals = panels.map(() => new AbortController());
    list.replaceChildren(
      ...panels.map((p, i) => {
        const ctrl = panelSignals[i] as AbortController;
        signal.addEventListener('abort', () => ctrl.abort());
        const remove =
          panels.length > 1
            ? () => {
                panels.splice(i, 1);
                sync();
                draw();
              }
            : undefined;
        return panel(p, sync, remove, ctrl.signal);
      }),
    );
  };
  root.append(
    h('h1', {}, 'Graph'),
    list,
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          panels.push(defaultPanel());
          sync();
          draw();
        },
      },
      'Add panel',
    ),
  );
  draw();
}

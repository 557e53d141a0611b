/** The form that creates a silence: matchers (pre-filled from an alert's labels), a duration, the author, a comment. */
import { h } from '../dom.ts';
import { type LabelSet, type Matcher, postSilence } from './alerts-api.ts';
import { type AlertsContext, errorMessage } from './alerts-context.ts';

const presets = [
  { key: '1h', ms: 3_600_000 },
  { key: '2h', ms: 7_200_000 },
  { key: '1d', ms: 86_400_000 },
] as const;

const operators = ['=', '!=', '=~', '!~'] as const;

/** `YYYY-MM-DDTHH:MM` in local time, as `<input type="datetime-local">` takes it. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function matcherRow(m: Matcher): HTMLElement {
  const op = m.isEqual === false ? (m.isRegex ? '!~' : '!=') : m.isRegex ? '=~' : '=';
  const row = h(
    'div',
    { class: 'matcher' },
    h('input', { name: 'm-name', value: m.name, required: true, 'aria-label': 'Label name', placeholder: 'name' }),
    h(
      'select',
      { name: 'm-op', 'aria-label': 'Operator' },
      operators.map((o) => h('option', { value: o, selected: o === op }, o)),
    ),
    h('input', { name: 'm-value', value: m.value, 'aria-label': 'Label value', placeholder: 'value' }),
  );
  row.append(h('button', { type: 'button', 'aria-label': 'Remove matcher', onclick: () => row.remove() }, '✕'));
  return row;
}

function readMatchers(list: HTMLElement): Matcher[] {
  return [...list.querySelectorAll<HTMLElement>('.matcher')].map((row) => {
    const field = (n: string) => (row.querySelector(`[name="${n}"]`) as HTMLInputElement | HTMLSelectElement).value;
    const op = field('m-op');
    return {
      name: field('m-name').trim(),
      value: field('m-value'),
      isRegex: op.endsWith('~'),
      isEqual: !op.startsWith('!'),
    };
  });
}

/**
 * The form, hidden until `open`. On success it closes, says so in `done`, and refreshes the page; a refused
 * silence's error (Alertmanager's 400 text or 422 message) stays next to the form.
 */
export function silenceForm(ctx: AlertsContext, done: (id: string) => void) {
  const matchers = h('div', { id: 'silence-matchers' });
  const custom = h('input', { type: 'datetime-local', name: 'ends', 'aria-label': 'Custom end', disabled: true });
  const radios = [...presets.map((p) => p.key), 'custom'].map((key) =>
    h('input', { type: 'radio', name: 'duration', value: key, checked: key === '2h' }),
  );
  const author = h('input', { name: 'createdBy', id: 'silence-author', required: true });
  const comment = h('textarea', { name: 'comment', id: 'silence-comment', required: true });
  const error = h('p', { class: 'error', role: 'alert', id: 'silence-error' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create silence');
  const form = h(
    'form',
    { class: 'silence-form card', id: 'silence-form', hidden: true, 'aria-labelledby': 'silence-form-title' },
    h('h3', { id: 'silence-form-title' }, 'New silence'),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Matchers'),
      matchers,
      h(
        'button',
        { type: 'button', onclick: () => matchers.append(matcherRow({ name: '', value: '', isRegex: false })) },
        'Add matcher',
      ),
    ),
    h(
      'fieldset',
      { class: 'row' },
      h('legend', {}, 'Duration'),
      radios.map((r) => h('label', {}, r, ` ${r.value === 'custom' ? 'until' : r.value}`)),
      custom,
    ),
    h('label', { for: 'silence-author' }, 'Created by'),
    author,
    h('label', { for: 'silence-comment' }, 'Comment'),
    comment,
    h('div', { class: 'row' }, submit, h('button', { type: 'button', onclick: () => close() }, 'Cancel')),
    error,
  );
  const close = () => {
    form.hidden = true;
    error.textContent = '';
  };
  for (const r of radios) r.addEventListener('change', () => (custom.disabled = r.value !== 'custom' || !r.checked));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const now = Date.now();
    const choice = radios.find((r) => r.checked)?.value ?? '2h';
    const endsMs =
      choice === 'custom' ? new Date(custom.value).getTime() : now + (presets.find((p) => p.key === choice)?.ms ?? 0);
    if (!Number.isFinite(endsMs)) {
      error.textContent = 'Choose when the silence ends.';
      return;
    }
    submit.disabled = true;
    try {
      const id = await postSilence({
        matchers: readMatchers(matchers),
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(endsMs).toISOString(),
        createdBy: author.value.trim(),
        comment: comment.value.trim(),
      });
      close();
      done(id);
    } catch (err) {
      error.textContent = errorMessage(err);
    } finally {
      submit.disabled = false;
      ctx.refresh();
    }
  });

  return {
    el: form,
    /** Shows the form with one equality matcher per label (none: one empty matcher). */
    open(labels: LabelSet = {}) {
      const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
      matchers.replaceChildren(
        ...(entries.length === 0 ? [['', '']] : entries).map(([name, value]) =>
          matcherRow({ name: name as string, value: value as string, isRegex: false }),
        ),
      );
      author.value = ctx.user || author.value;
      author.readOnly = ctx.user !== '';
      comment.value = '';
      custom.value = localInput(Date.now() + 4 * 3_600_000);
      error.textContent = '';
      form.hidden = false;
      form.scrollIntoView({ block: 'nearest' });
      comment.focus();
    },
  };
}

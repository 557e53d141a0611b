/** What the Alerts page's sections share: the user's rights, the silence form's opener, and the refresh. */
import { ApiError } from '../api.ts';
import { h } from '../dom.ts';
import type { LabelSet } from './alerts-api.ts';

export interface AlertsContext {
  /** Whether the signed-in user may create and expire silences and retry or discard dead letters (admins). */
  canEdit: boolean;
  /** The signed-in user's name, or '' when the UI does not know it. */
  user: string;
  /** Opens the silence form with one equality matcher per label. */
  silence(labels: LabelSet): void;
  /** Reloads every section now (after an action). */
  refresh(): void;
}

/** A section's data: the value, or why it could not be loaded. */
export type Loaded<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The text for a section whose API failed: a 503 ("the rule manager is not running") is said plainly. */
export function failure(what: string, err: unknown): HTMLElement {
  if (err instanceof ApiError && err.status === 503) {
    const text = err.message.charAt(0).toUpperCase() + err.message.slice(1);
    return h('p', { class: 'muted', 'data-unavailable': '' }, /[.!]$/.test(text) ? text : `${text}.`);
  }
  return h('p', { class: 'error', role: 'alert' }, `Cannot load ${what}: ${errorMessage(err)}`);
}

/**
 * Runs a state-changing request from `button`: disabled while it runs, the error (if any) written into `status`,
 * then the page refreshed.
 */
export async function act(
  ctx: AlertsContext,
  button: HTMLButtonElement,
  status: HTMLElement,
  run: () => Promise<unknown>,
): Promise<boolean> {
  button.disabled = true;
  status.textContent = '';
  try {
    await run();
    return true;
  } catch (err) {
    status.textContent = errorMessage(err);
    return false;
  } finally {
    button.disabled = false;
    ctx.refresh();
  }
}

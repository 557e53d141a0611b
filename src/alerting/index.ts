/** Alertmanager-compatible routing, grouping, inhibition, silences and notification, and its API v2. */
export type { Alert, LabelSet } from './alert.ts';
export { Alertmanager, type AlertmanagerOptions, defaultReceiver, effectiveRouting } from './alertmanager.ts';
export type { PostableAlert } from './api.ts';
export { ApiAnswer } from './api.ts';
export { SilenceNotFoundError, SilenceValidationError } from './errors.ts';
export { fingerprint } from './fingerprint.ts';
export type { MessageSink } from './pipeline.ts';
export type { Silence, SilenceState } from './silences.ts';

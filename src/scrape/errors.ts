/** Errors of the scrape module. Callers branch on the class or `code`, never on the message. */

/**
 * A relabel rule that cannot be compiled: a `regex` that Go's RE2 syntax rejects, a `hashmod` modulus that
 * cannot be used exactly. `rule` is the rule's 0-based index in its list and `field` the key at fault; the
 * message is `relabel rule R: field: reason`, and `reason` alone is kept for callers that print their own
 * position (a config file's `file:line:col`).
 */
export class RelabelError extends Error {
  readonly code = 'RELABEL_INVALID';
  constructor(
    readonly rule: number,
    readonly field: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`relabel rule ${rule}: ${field}: ${reason}`, options);
    this.name = 'RelabelError';
  }
}

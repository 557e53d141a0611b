/** Errors of the host collector. Callers branch on the class or `code`, never on the message. */

/** An option of `HostCollectorOptions` with a value that cannot be used; `field` names it. */
export class HostOptionError extends Error {
  readonly code = 'COLLECTOR_HOST_OPTION';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`host collector: option ${field} = ${String(value)}: ${reason}`);
    this.name = 'HostOptionError';
  }
}

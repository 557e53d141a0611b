/** Errors of the notify module. */

/** A message uses a setting the senders cannot honour (e.g. an HTTP proxy). Thrown by `Outbox.enqueue`. */
export class UnsupportedSettingError extends Error {
  readonly code = 'NOTIFY_UNSUPPORTED_SETTING';
  constructor(
    /** The setting's config key and why, e.g. `http_config.proxy_url: only http:// proxies are supported…`. */
    readonly setting: string,
  ) {
    super(`cannot enqueue the notification: unsupported ${setting}`);
    this.name = 'UnsupportedSettingError';
  }
}

/** A message that cannot be delivered as given (no URL, no recipient…). Thrown by `Outbox.enqueue`. */
export class InvalidMessageError extends Error {
  readonly code = 'NOTIFY_INVALID_MESSAGE';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`cannot enqueue the notification: ${field}: ${problem}`);
    this.name = 'InvalidMessageError';
  }
}

/** Options given to the Outbox constructor are out of range. */
export class OutboxOptionError extends Error {
  readonly code = 'NOTIFY_OPTION';
  constructor(
    readonly option: string,
    value: unknown,
    expected: string,
  ) {
    super(`outbox option ${option}: expected ${expected}, got ${JSON.stringify(value)}`);
    this.name = 'OutboxOptionError';
  }
}

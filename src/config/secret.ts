import { inspect } from 'node:util';

/**
 * A secret value from the config (password, token, webhook URL). It prints, serializes and inspects as
 * `<secret>`, so logging or dumping a config never reveals it; `reveal()` is the only way to read it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '<secret>';
  }

  toJSON(): string {
    return '<secret>';
  }

  [inspect.custom](): string {
    return 'Secret(<secret>)';
  }
}

/** A usage mistake commander cannot see, such as a malformed flag value. Exits 2. */
export class UsageError extends Error {
  readonly code = 'CLI_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The message to show for a failure, for errors vigil raises and for unexpected ones. */
export function failureText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What the server asks of the application it runs in. Implemented by app.ts. */
export interface AppControl {
  /** Reloads the config file and applies it; the running config stays when the new one fails. */
  reload(): Promise<{ ok: true } | { ok: false; error: string }>;
  /** Starts a graceful shutdown. */
  quit(): void;
  /** True once every module started, false again when shutdown begins. */
  isReady(): boolean;
  /** The running config as YAML, defaults filled in and secrets as `<secret>`. */
  configYaml(): string;
  /** Command-line flags and their values, as strings. */
  flags(): Record<string, string>;
  /** Facts for `/api/v1/status/runtimeinfo`. */
  runtimeInfo(): Record<string, unknown>;
  /** The gateway's sites and how the WAF protects each, or null when no gateway runs. */
  gatewayStatus?(): unknown;
}

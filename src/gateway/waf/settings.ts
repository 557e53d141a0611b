/** Engine-wide settings set by the ModSecurity engine directives (SecRuleEngine, SecRequestBodyAccess, …). */

export type EngineMode = 'on' | 'off' | 'detectiononly';

export interface EngineSettings {
  /** SecRuleEngine. @default 'on' */
  ruleEngine: EngineMode;
  /** SecRequestBodyAccess. @default true */
  requestBodyAccess: boolean;
  /** SecResponseBodyAccess. @default false */
  responseBodyAccess: boolean;
  /** SecResponseBodyMimeType, lower-case MIME types without parameters. @default text/plain text/html */
  responseBodyMimeTypes: string[];
  /** SecRequestBodyLimit, bytes. @default 13107200 */
  requestBodyLimitBytes: number;
  /**
   * SecRequestBodyNoFilesLimit, bytes: the body without its file parts (every byte of a form, JSON or XML
   * body). A longer one is treated as past SecRequestBodyLimit. @default 1048576
   */
  requestBodyNoFilesLimitBytes: number;
  /** SecRequestBodyLimitAction: a longer body is refused (413, engine On) or inspected up to the limit. @default 'reject' */
  requestBodyLimitAction: 'reject' | 'processpartial';
  /** SecResponseBodyLimit, bytes. @default 524288 */
  responseBodyLimitBytes: number;
  /** SecArgumentsLimit: arguments past this many are not parsed. @default 1000 */
  argumentsLimit: number;
  /** SecRequestBodyJsonDepthLimit. @default 512 */
  jsonDepthLimit: number;
  /** SecArgumentSeparator. @default '&' */
  argumentSeparator: string;
  /** SecComponentSignature values, for the log. */
  componentSignatures: string[];
}

export function defaultSettings(): EngineSettings {
  return {
    ruleEngine: 'on',
    requestBodyAccess: true,
    responseBodyAccess: false,
    responseBodyMimeTypes: ['text/plain', 'text/html'],
    requestBodyLimitBytes: 13107200,
    requestBodyNoFilesLimitBytes: 1048576,
    requestBodyLimitAction: 'reject',
    responseBodyLimitBytes: 524288,
    argumentsLimit: 1000,
    jsonDepthLimit: 512,
    argumentSeparator: '&',
    componentSignatures: [],
  };
}

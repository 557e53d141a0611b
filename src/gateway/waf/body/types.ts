import type { TxState } from '../state.ts';

/** Limits a body processor honours. */
export interface BodyLimits {
  readonly argumentsLimit: number;
  readonly jsonDepthLimit: number;
  readonly argumentSeparator: string;
}

/**
 * Parses a request body (Latin-1, one character per byte) into the state's collections (ARGS_POST, FILES,
 * XML, the MULTIPART_* flags…). Returns an error message when the body is malformed; never throws.
 */
export type BodyProcessor = (body: string, contentType: string, s: TxState, limits: BodyLimits) => string | undefined;

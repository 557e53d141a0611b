/** Errors of the record codec. Decoders return them rather than throw: a record's bytes are untrusted input. */
import { recordTypeName as typeName } from './types.ts';

/** The bytes of a record do not follow its type's layout. */
export class RecordDecodeError extends Error {
  readonly code = 'RECORD_DECODE';
  constructor(
    /** The record's type byte. */
    readonly recordType: number,
    /** Byte offset within the record where decoding failed. */
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`decode ${typeName(recordType)} record: ${reason} at byte ${offset}`);
    this.name = 'RecordDecodeError';
  }
}

/**
 * A decoder was handed a record of another type, or of a type vigil does not decode (`actual` is the record's
 * type byte, or -1 for an empty record). Replay loops skip such records, as Prometheus does for unknown types.
 */
export class RecordTypeError extends Error {
  readonly code = 'RECORD_TYPE';
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      actual < 0
        ? `decode ${typeName(expected)} record: empty record`
        : `decode ${typeName(expected)} record: record has type ${actual} (${typeName(actual)})`,
    );
    this.name = 'RecordTypeError';
  }
}

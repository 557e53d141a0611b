/** A transformation: a pure function over a Latin-1 string (one character per byte). Never throws. */
export type Transformation = (input: string) => TransformResult;

/** The transformed value and whether it differs from the input. */
export interface TransformResult {
  readonly value: string;
  readonly changed: boolean;
}

/** Wraps a string-to-string function as a Transformation. */
export function simple(fn: (input: string) => string): Transformation {
  return (input) => {
    const value = fn(input);
    return { value, changed: value !== input };
  };
}

export const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** A code point beyond one byte becomes its low byte; fullwidth ASCII (U+FF01–U+FF5E) becomes ASCII. */
export function narrow(code: number): string {
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  return String.fromCharCode(code & 0xff);
}

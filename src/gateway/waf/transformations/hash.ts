import { createHash } from 'node:crypto';
import { simple } from './types.ts';

/** The raw digest bytes as a Latin-1 string. */
export const sha1 = simple((s) => createHash('sha1').update(s, 'latin1').digest().toString('latin1'));
export const md5 = simple((s) => createHash('md5').update(s, 'latin1').digest().toString('latin1'));
/** The length in bytes, in decimal. */
export const length = simple((s) => String(s.length));

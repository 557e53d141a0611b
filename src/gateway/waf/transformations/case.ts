import { simple } from './types.ts';

/** ASCII case only, as ModSecurity does on bytes. */
export const lowercase = simple((s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase()));
export const uppercase = simple((s) => s.replace(/[a-z]+/g, (m) => m.toUpperCase()));

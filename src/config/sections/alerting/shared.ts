/** Small helpers the alerting files share; not part of the section's public face. */

/** Quotes a user-given string for a message, in JSON string syntax. */
export const q = (s: string): string => JSON.stringify(s);

/**
 * What identifies and bounds the gate's PR comment: the hidden marker the sticky comment is found
 * by, and GitHub's limit on a comment body. The one definition of both; the report is rendered to
 * fit them and the sticky comment enforces them.
 */

/**
 * GitHub refuses a comment body over this ("body is too long (maximum is 65536 characters)"). It
 * does not say how it counts; the gate counts UTF-8 bytes, never fewer than characters or UTF-16
 * units, so a body within it fits whichever count GitHub applies.
 */
export const MAX_COMMENT_BYTES = 65_536;

/** The hidden first line of one gate job's comment; `key` tells several gate jobs apart. */
export function buildCommentMarker(key: string): string {
  return `<!-- perf-gate:${key} -->`;
}

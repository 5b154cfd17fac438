/**
 * Escaping of every name and value that comes from data (scenario ids, metric names, error messages,
 * check names, environment strings) before it goes into markdown: it must not start HTML, a link, a
 * table cell, code, emphasis, or a mention of a person or team.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '|': '&#124;',
};

/**
 * Makes `text` inert in GitHub markdown, in a paragraph or a table cell: HTML and markdown
 * punctuation become entities or backslash escapes, line breaks become spaces, and `@` / `#` get a
 * zero-width joiner so no one is mentioned and no issue is linked; `://` and `www.` are broken the
 * same way so no link is made.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
      .replace(/\r\n|\r|\n|\t/g, ' ')
      .replace(/[\\*_~]/g, (c) => `\\${c}`)
      .replace(/[@#]/g, (c) => `${c}\u200D`)
      .replace(/:\/\//g, ':\u200D//')
      .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\u200D.`)
      .replace(/[&<>"`[\]|]/g, (c) => ENTITIES[c] ?? c)
  );
}

/** Escapes a string for a mermaid double-quoted label: only safe characters survive. */
export function escapeMermaidLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9 ._:/-]/g, '_').slice(0, 40);
}

/** Escapes plain text for the console: control characters (terminal escapes) are dropped. */
export function escapeConsole(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F\u009B]/g, '').replace(/\n/g, ' ');
}

/** The rows of the markdown table under `heading` in `body` (its head and separator left out). */
export function sectionRows(body: string, heading: string): string[] {
  const lines = body.slice(body.indexOf(heading)).split('\n').slice(2);
  const table = lines.slice(0, lines.findIndex((line) => !line.startsWith('|')));
  return table.slice(2);
}

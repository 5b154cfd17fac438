/**
 * How the harness counts and records a failure: the key it is counted under and the name and
 * message a results document keeps (the Error itself comes from common/error-message.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toError } from '../../common/error-message.js';
import type { ErrorInfo } from '../../results/types.js';

/** perf-gate's own package folder (of the sources or the installed bundle): its frames are not the user's. */
function findOwnPackage(): string | undefined {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'perf-gate') return dir;
      } catch {
        // Not JSON: keep looking above.
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

const OWN_PACKAGE = findOwnPackage();

/**
 * Where in the user's code an error was thrown: the first stack frame outside Node's internals,
 * node_modules and perf-gate itself, as `file:line:column` relative to the working directory
 * (their perf file or service, through the TypeScript loader's source maps). Undefined when the
 * stack has none (an error of perf-gate's own data layer, or of a library).
 */
export function userFrame(stack: string | undefined, cwd = process.cwd()): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const match = /(?:\(|^at )((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!match) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (file.includes(`${path.sep}node_modules${path.sep}`) || (OWN_PACKAGE && file.startsWith(`${OWN_PACKAGE}${path.sep}`))) continue;
    const shown = file.startsWith(`${cwd}${path.sep}`) ? path.relative(cwd, file) : file;
    return `${shown}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

function codeOf(thrown: unknown): string | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const code = (thrown as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  // Node reports a failed connect to a host with several addresses as an AggregateError.
  const inner = (thrown as { errors?: unknown }).errors;
  return Array.isArray(inner) && inner.length > 0 ? codeOf(inner[0]) : undefined;
}

/**
 * The key failures are counted under: the error's `code` when it has one (a SQLSTATE such as
 * `57P01` from PostgreSQL, `ECONNRESET` from Node), else its name (`TimeoutError`).
 */
export function errorKey(thrown: unknown): string {
  return codeOf(thrown) ?? (toError(thrown).name || 'Error');
}

/** The name and message of a thrown value, and where in the user's code, as the results document records an error. */
export function toErrorInfo(thrown: unknown): ErrorInfo {
  const error = toError(thrown);
  const code = codeOf(thrown);
  const name = error.name || 'Error';
  const at = userFrame(error.stack);
  return { name: code && code !== name ? `${name} ${code}` : name, message: error.message, ...(at ? { at } : {}) };
}

import { execFileSync } from 'node:child_process';

/**
 * The commit and ref of the working tree, when git knows them; `known` (the runner's GITHUB_SHA and
 * GITHUB_REF, read by the entry) wins.
 */
export function readGitInfo(known: { sha?: string; ref?: string }, cwd = process.cwd()): { sha?: string; ref?: string } {
  const git = (args: string[]): string | undefined => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const sha = known.sha ?? git(['rev-parse', 'HEAD']);
  const ref = known.ref ?? git(['rev-parse', '--abbrev-ref', 'HEAD']);
  return { ...(sha ? { sha } : {}), ...(ref ? { ref } : {}) };
}

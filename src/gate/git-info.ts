import { execFileSync } from 'node:child_process';

/** The commit and ref of the working tree, when git knows them (GITHUB_SHA/GITHUB_REF win). */
export function readGitInfo(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): { sha?: string; ref?: string } {
  const git = (args: string[]): string | undefined => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const sha = env.GITHUB_SHA ?? git(['rev-parse', 'HEAD']);
  const ref = env.GITHUB_REF ?? git(['rev-parse', '--abbrev-ref', 'HEAD']);
  return { ...(sha ? { sha } : {}), ...(ref ? { ref } : {}) };
}

/**
 * A private temporary folder (TMPDIR) for child processes that may start an embedded PostgreSQL, so
 * what they leave behind can be told from what parallel runs on the same machine leave in /tmp.
 */
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Makes the folder. Others may enter it: as root, the embedded server runs as a `postgres` user. */
export async function makeChildTmp(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'perf-gate-child-tmp-'));
  await chmod(dir, 0o755);
  return dir;
}

export async function removeChildTmp(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/**
 * What the embedded servers started with TMPDIR=`dir` left behind: `perf-gate-pg-*` folders in it,
 * and running processes (postgres, initdb) whose command line names it.
 */
export async function findEmbeddedLeftovers(dir: string): Promise<string[]> {
  const folders = (await readdir(dir)).filter((name) => name.startsWith('perf-gate-pg-')).map((name) => `folder ${path.join(dir, name)}`);
  const processes: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.includes(dir)) processes.push(`process ${pid}: ${commandLine.replaceAll('\0', ' ').trim()}`);
  }
  return [...folders, ...processes];
}

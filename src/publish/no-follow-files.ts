/**
 * Files the action writes into (and, in comment mode, reads from) the workspace, without following
 * symlinks. The workspace holds a checkout, which may be a pull request's: a committed symlink at
 * `perf-gate/` or `perf-gate/comparison.json` must not make the action write over a file elsewhere
 * on the runner, nor make the comment stage read one. The workspace folder itself is trusted (a
 * self-hosted runner may reach it through a link); every folder and file below it is checked.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

type Access = 'reads' | 'writes';

function symlinkError(file: string, access: Access): Error {
  return new Error(`${file}: is a symlink; perf-gate never ${access} a report through a symlink`);
}

/**
 * Checks each folder from below `root` down to `folder`: a symlink is refused, a missing folder is
 * created when writing (one level at a time, so no link is followed on the way).
 */
export async function checkFolderChain(root: string, folder: string, access: Access): Promise<void> {
  const relative = path.relative(root, folder);
  if (relative === '') return;
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) throw new Error(`${folder}: is outside the workspace '${root}'`);
  let current = root;
  for (const part of relative.split(path.sep)) {
    current = path.join(current, part);
    let stats = await lstat(current).catch(ignoreMissing);
    if (!stats && access === 'writes') {
      await mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error; // another writer made it: check what it made
      });
      stats = await lstat(current);
    }
    if (!stats) return; // reading: the file's open names what is missing
    if (stats.isSymbolicLink()) throw symlinkError(current, access);
    if (!stats.isDirectory()) throw new Error(`${current}: is not a folder`);
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}

/**
 * Writes `text` to `file` below `root`, atomically: a new temporary file (O_CREAT | O_EXCL, which
 * never follows a link) renamed over the target. An existing symlink at the target is refused
 * rather than replaced, so a planted link is noticed.
 */
export async function writeFileNoFollow(root: string, file: string, text: string): Promise<void> {
  await checkFolderChain(root, path.dirname(file), 'writes');
  const existing = await lstat(file).catch(ignoreMissing);
  if (existing?.isSymbolicLink()) throw symlinkError(file, 'writes');
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

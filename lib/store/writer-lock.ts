import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { TickflowError } from '../errors.js';

/**
 * The lock file that gives one writer at a time an event log file. Each writer caches the
 * chain's head, so a second writer on the same file would reuse sequence numbers and fork or
 * lose rows. The file sits next to the log and contains the owner's pid and a token.
 */
export function lockFileOf(file: string): string {
  return `${file}.lock`;
}

interface LockOwner {
  readonly pid: number;
  readonly token: string;
}

/**
 * Creates the lock file with O_EXCL. A lock whose pid no longer runs is stale (its writer was
 * killed) and is replaced. Throws `event-log-locked` while the lock belongs to a live process.
 */
export function acquireWriterLock(file: string, token: string): void {
  const lockFile = lockFileOf(file);

  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(lockFile, token)) {
      return;
    }

    const owner = readOwner(lockFile);

    if (owner !== undefined && isRunning(owner.pid)) {
      throw new TickflowError(
        'event-log-locked',
        `event log ${file} is already open for writing by process ${owner.pid} (lock file ${lockFile}): stop that process, or give this one another event log file`,
        { file, lockFile, pid: owner.pid },
      );
    }

    // NOTE: two processes that find the same stale lock at once can both remove it, and the
    // slower one may then remove the winner's fresh lock. Stale locks only follow a crash.
    removeQuietly(lockFile);
  }

  throw new TickflowError('event-log-locked', `event log ${file}: cannot create the lock file ${lockFile}: another writer keeps taking it`, { file, lockFile });
}

/** Removes the lock file if it still holds `token`, so a lock taken over by another writer stays. */
export function releaseWriterLock(file: string, token: string): void {
  const lockFile = lockFileOf(file);

  if (readOwner(lockFile)?.token === token) {
    removeQuietly(lockFile);
  }
}

function tryCreate(lockFile: string, token: string): boolean {
  let descriptor: number;

  try {
    descriptor = openSync(lockFile, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }

    throw error;
  }

  try {
    writeSync(descriptor, `${process.pid}\n${token}\n`);
  } finally {
    closeSync(descriptor);
  }

  return true;
}

/** Returns the lock's owner, or undefined when the file is gone or unreadable (a crash while writing it). */
function readOwner(lockFile: string): LockOwner | undefined {
  let text: string;

  try {
    text = readFileSync(lockFile, 'utf8');
  } catch {
    return undefined;
  }

  const [pid, token] = text.split('\n');
  const parsed = Number(pid);

  return Number.isInteger(parsed) && parsed > 0 ? { pid: parsed, token: token ?? '' } : undefined;
}

/**
 * Signal 0 checks that a process exists without touching it, and EPERM means it exists under
 * another user. NOTE: a reused pid makes a stale lock look live until that process ends.
 */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(lockFile: string): void {
  try {
    unlinkSync(lockFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
}

import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** Runs git in `cwd` with no user or system config and a fixed identity; returns its output. */
export function git(args: string[], cwd = os.tmpdir()): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: os.tmpdir(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'x',
      GIT_AUTHOR_EMAIL: 'x@example.com',
      GIT_COMMITTER_NAME: 'x',
      GIT_COMMITTER_EMAIL: 'x@example.com',
    },
  }).trim();
}

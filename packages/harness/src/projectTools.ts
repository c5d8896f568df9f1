import path from 'node:path';
import { targetPaths } from '@backstage/cli-common';

/**
 * A path under the project's tools folder (.tools/ at the repo root, or $MLSTACK_TOOLS as the
 * scripts use it): the venv, the harness binaries, the harness state.
 */
export function projectToolPath(...segments: string[]): string {
  const tools = process.env.MLSTACK_TOOLS ?? targetPaths.resolveRoot('.tools');
  return path.join(tools, ...segments);
}

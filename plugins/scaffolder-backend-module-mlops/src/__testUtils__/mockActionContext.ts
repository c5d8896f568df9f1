import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';

/**
 * Like createMockActionContext of @backstage/plugin-scaffolder-node-test-utils (not a
 * dependency of this package), plus what these tests need: a checkpoint store that behaves
 * like the task runner's (a key that succeeded is not run again), the outputs as an object,
 * and every log line as text.
 */
export function createActionContext<
  TInput extends Record<string, any>,
>(options: {
  input: TInput;
  workspacePath?: string;
  isDryRun?: boolean;
  /** Checkpoints kept from an earlier attempt of the same task. */
  checkpoints?: Map<string, unknown>;
  /** Who started the task; `mockCredentials.user()` (user:default/mock) by default. */
  credentials?: BackstageCredentials;
}) {
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const outputs: Record<string, unknown> = {};
  const logger = mockServices.logger.mock();
  const logLines = () =>
    [logger.debug, logger.info, logger.warn, logger.error]
      .flatMap(fn => fn.mock.calls)
      .map(args => args.map(a => JSON.stringify(a)).join(' '));
  const ctx: ActionContext<any, any> = {
    input: options.input,
    workspacePath:
      options.workspacePath ?? createMockDirectory().resolve('workspace'),
    logger,
    isDryRun: options.isDryRun,
    task: { id: 'mock-task-id' },
    getInitiatorCredentials: () =>
      Promise.resolve(options.credentials ?? mockCredentials.user()),
    createTemporaryDirectory: jest.fn(),
    output(name: string, value: unknown) {
      outputs[name] = value;
    },
    async checkpoint(opts) {
      if (checkpoints.has(opts.key)) {
        return checkpoints.get(opts.key) as any;
      }
      const value = await opts.fn();
      checkpoints.set(opts.key, value ?? {});
      return value;
    },
  };
  return { ctx, outputs, checkpoints, logLines };
}

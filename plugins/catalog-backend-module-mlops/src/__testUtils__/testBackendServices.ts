import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';

/** A scheduler that only records tasks; the test runs them when it wants (`run`). */
export function recordingScheduler() {
  const tasks = new Map<
    string,
    SchedulerServiceTaskInvocationDefinition['fn']
  >();
  const factory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () => ({
      async scheduleTask(task) {
        tasks.set(task.id, task.fn);
      },
      createScheduledTaskRunner() {
        return {
          async run(task) {
            tasks.set(task.id, task.fn);
          },
        };
      },
      async triggerTask(id) {
        await tasks.get(id)?.(new AbortController().signal);
      },
      async cancelTask(id) {
        tasks.delete(id);
      },
      async getScheduledTasks() {
        return [];
      },
    }),
  });
  async function run(id: string) {
    const fn = tasks.get(id);
    if (!fn) {
      throw new Error(
        `No task '${id}' was scheduled; tasks: ${[...tasks.keys()].join(', ')}`,
      );
    }
    await fn(new AbortController().signal);
  }
  return { factory, run };
}

/** A logger that keeps every message with its level, for the tests to read. */
export function recordingLogger() {
  const messages: Array<{ level: string; message: string }> = [];
  const logger: LoggerService = {
    error: message => messages.push({ level: 'error', message }),
    warn: message => messages.push({ level: 'warn', message }),
    info: message => messages.push({ level: 'info', message }),
    debug: message => messages.push({ level: 'debug', message }),
    child: () => logger,
  };
  const factory = createServiceFactory({
    service: coreServices.logger,
    deps: {},
    factory: () => logger,
  });
  return { factory, messages };
}

/** A catalog module with a provider the test fills (the claiming entities). */
export function entitiesModule() {
  let connection: EntityProviderConnection | undefined;
  const module = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-claimers',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'test-claimers',
            connect: async c => {
              connection = c;
            },
          });
        },
      });
    },
  });
  async function apply(entities: Entity[]) {
    if (!connection) {
      throw new Error('the test provider is not connected');
    }
    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity: {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              ...entity.metadata.annotations,
              'backstage.io/managed-by-location': 'url:http://test/claimers',
              'backstage.io/managed-by-origin-location':
                'url:http://test/claimers',
            },
          },
        },
        locationKey: 'test-claimers',
      })),
    });
  }
  return { module, apply };
}

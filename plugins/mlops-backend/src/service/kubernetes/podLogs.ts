import type { EntityKubernetesScope } from './entityScope';
import { isErrorNamed } from './errors';

/** Logs larger than this are cut (the API server keeps the newest bytes of the tail). */
const LOG_LIMIT_BYTES = 2 * 1024 * 1024;

export interface ContainerLog {
  available: boolean;
  reason?: string;
  text: string;
}

/**
 * The last lines of a pod container's log. A pod that is gone (404) or a container that has
 * not started (400) is not an error for the page: `available` is false and `reason` says so
 * in words. Other failures (403, cluster down) are thrown.
 */
export async function readContainerLog(
  scope: EntityKubernetesScope,
  podName: string,
  container: string,
  options: { tailLines: number; notStartedYet?: boolean },
): Promise<ContainerLog> {
  try {
    const text = await scope.cluster.readPodLog(scope.namespace, podName, {
      container,
      tailLines: options.tailLines,
      limitBytes: LOG_LIMIT_BYTES,
    });
    if (text === undefined) {
      return {
        available: false,
        reason: `Pod '${podName}' has no log yet: it is not running on a node`,
        text: '',
      };
    }
    return { available: true, text };
  } catch (error) {
    if (isErrorNamed(error, 'NotFoundError')) {
      return {
        available: false,
        reason: options.notStartedYet
          ? `Pod '${podName}' has not been created yet`
          : `Pod '${podName}' no longer exists: it was deleted (by Argo's pod garbage collection, or by hand), and its logs with it`,
        text: '',
      };
    }
    if (isErrorNamed(error, 'InputError')) {
      // e.g. "container "main" in pod "x" is waiting to start: ContainerCreating"
      const detail = (error as Error).message.replace(
        /^.*?\(HTTP 400\):\s*/,
        '',
      );
      return {
        available: false,
        reason: `No log of container '${container}' in pod '${podName}' yet: ${detail}`,
        text: '',
      };
    }
    throw error;
  }
}

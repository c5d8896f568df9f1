import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  DEPLOYED_FOR_ANNOTATION,
  InferenceServiceEvent,
  InferenceServiceEvents,
  InferenceServiceLogs,
  InferenceServicesResponse,
  InferenceServiceView,
  KSERVE_INFERENCE_SERVICE_ANNOTATION,
  KSERVE_INFERENCE_SERVICE_SELECTOR_ANNOTATION,
  KUBERNETES_ID_LABEL,
  parseNameList,
} from '@mlstack/plugin-mlops-common';
import {
  KSERVE_INFERENCE_SERVICE_RESOURCE,
  parseInferenceService,
} from '@mlstack/plugin-mlops-node';
import type { ClusterProvider } from '../kubernetes/ClusterProvider';
import {
  AnnotatedSelector,
  EntityKubernetesScope,
  assertObjectName,
  readSelectorAnnotation,
  resolveEntityScope,
} from '../kubernetes/entityScope';
import { matchesLabelSelector } from '../kubernetes/labelSelector';
import {
  annotationsOf,
  creationOf,
  labelsOf,
  nameOf,
} from '../kubernetes/objectFields';
import { readContainerLog } from '../kubernetes/podLogs';
import { notInScope, orNotInScope, orUndefinedIfNotFound } from '../notInScope';
import {
  ServedVersionFinder,
  normaliseStorageUri,
} from '../mlflow/ServedVersionFinder';

export type InferenceServiceComponent = InferenceServiceLogs['component'];

/** Services listed through the selector, at most (pages of the API server are followed). */
const MAX_SELECTED_SERVICES = 500;

/** How long the services wait for MLflow to name their model versions; then no links. */
const LINK_TIMEOUT_MS = 3_000;

/** The container KServe runs the model server in, in every component's pod. */
const KSERVE_CONTAINER = 'kserve-container';

/** Events returned per service, at most. */
const MAX_EVENTS = 100;

function readEvent(
  item: unknown,
): (InferenceServiceEvent & { kind: string; name: string }) | undefined {
  const event = item as {
    type?: string;
    reason?: string;
    message?: string;
    count?: number;
    lastTimestamp?: string | Date;
    eventTime?: string | Date;
    metadata?: { creationTimestamp?: string | Date };
    involvedObject?: { kind?: string; name?: string };
  };
  const kind = event.involvedObject?.kind;
  const name = event.involvedObject?.name;
  if (!kind || !name) {
    return undefined;
  }
  const when =
    event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp;
  return {
    kind,
    name,
    type: event.type ?? 'Normal',
    ...(event.reason ? { reason: event.reason } : {}),
    ...(event.message ? { message: event.message } : {}),
    object: `${kind}/${name}`,
    count: event.count ?? 1,
    ...(when ? { lastSeen: new Date(when).toISOString() } : {}),
  };
}

function deployedFor(object: unknown, entityRef: string): boolean {
  return annotationsOf(object)[DEPLOYED_FOR_ANNOTATION] === entityRef;
}

interface ServiceSources {
  names: string[];
  selector?: AnnotatedSelector;
}

function readServiceSources(entity: Entity): ServiceSources {
  return {
    names: parseNameList(
      entity.metadata.annotations?.[KSERVE_INFERENCE_SERVICE_ANNOTATION],
    ),
    selector: readSelectorAnnotation(
      entity,
      KSERVE_INFERENCE_SERVICE_SELECTOR_ANNOTATION,
    ),
  };
}

/**
 * KServe InferenceServices as one entity sees them: those its annotation names and those its
 * selector matches, in its namespace on its cluster. Each is linked to the MLflow model
 * version it serves when its storage URI is where one of the entity's registered model
 * versions is; when MLflow cannot tell, the link is left out and nothing fails.
 */
export class KServeEntityService {
  private readonly versions: ServedVersionFinder;

  constructor(
    private readonly deps: {
      clusters: ClusterProvider;
      versions: ServedVersionFinder;
      logger: LoggerService;
    },
  ) {
    this.versions = deps.versions;
  }

  async listServices(entity: Entity): Promise<InferenceServicesResponse> {
    const scope = await resolveEntityScope(entity, this.deps.clusters);
    const sources = readServiceSources(entity);
    const [named, selected, deployed] = await Promise.all([
      Promise.all(sources.names.map(name => this.readService(scope, name))),
      sources.selector
        ? this.listSelected(scope, sources.selector.text)
        : Promise.resolve([]),
      this.listSelected(
        scope,
        `${KUBERNETES_ID_LABEL}=${entity.metadata.name}`,
      ).then(items => items.filter(item => deployedFor(item, scope.entityRef))),
    ]);
    const byName = new Map<string, unknown>();
    for (const object of [...named, ...selected, ...deployed]) {
      if (object) {
        byName.set(parseInferenceService(object).name, object);
      }
    }
    const services: InferenceServiceView[] = Array.from(byName.values())
      .map(object => parseInferenceService(object))
      .sort((a, b) => a.name.localeCompare(b.name));
    await this.linkModelVersions(entity, services);
    return {
      cluster: scope.cluster.name,
      namespace: scope.namespace,
      services,
      missingServices: sources.names.filter((_, i) => !named[i]),
    };
  }

  /**
   * The log of the newest pod of a service's component (`kserve-container`). The service must
   * be the entity's (else 404); no pod is `available: false`, not an error.
   */
  async getLogs(
    entity: Entity,
    service: string,
    options: { component: InferenceServiceComponent; tailLines: number },
  ): Promise<InferenceServiceLogs> {
    const { scope } = await this.serviceInScope(entity, service);
    const base = {
      service,
      component: options.component,
      container: KSERVE_CONTAINER,
    };
    const pods = await scope.cluster.listPods(
      scope.namespace,
      `serving.kserve.io/inferenceservice=${service},component=${options.component}`,
    );
    const newest = pods
      .slice()
      .sort((a, b) => creationOf(b).localeCompare(creationOf(a)))[0];
    const podName = nameOf(newest);
    if (!podName) {
      return {
        ...base,
        available: false,
        reason: `No ${options.component} pod of '${service}' is running (scaled to zero, not deployed yet, or failing to start)`,
        text: '',
      };
    }
    const log = await readContainerLog(scope, podName, KSERVE_CONTAINER, {
      tailLines: options.tailLines,
    });
    return { ...base, podName, ...log };
  }

  /**
   * The events about a service and the objects KServe makes for it (`<service>-predictor…`,
   * transformer, explainer, each canary's `<service>-<canary>-predictor…`), newest first, at
   * most 100: why a rollout is not Ready (image pulls, scheduling, failing probes).
   */
  async getEvents(
    entity: Entity,
    service: string,
  ): Promise<InferenceServiceEvents> {
    const { scope, object } = await this.serviceInScope(entity, service);
    const prefixes = [
      ...['predictor', 'transformer', 'explainer'].map(c => `${service}-${c}`),
      ...parseInferenceService(object).canaries.map(
        c => `${service}-${c.name}-predictor`,
      ),
    ];
    const about = (kind: string, name: string) =>
      (kind === 'InferenceService' && name === service) ||
      (kind !== 'InferenceService' &&
        prefixes.some(p => name === p || name.startsWith(`${p}-`)));
    const events = (await scope.cluster.listEvents(scope.namespace))
      .map(readEvent)
      .filter(
        (
          event,
        ): event is InferenceServiceEvent & { kind: string; name: string } =>
          event !== undefined && about(event.kind, event.name),
      )
      .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
      .slice(0, MAX_EVENTS)
      .map(({ kind: _kind, name: _name, ...event }) => event);
    return { service, events };
  }

  /** One of the entity's services, read from its scope; 404 (the same text) when it is not. */
  private async serviceInScope(entity: Entity, service: string) {
    const scope = await resolveEntityScope(entity, this.deps.clusters);
    assertObjectName(service, 'InferenceService');
    const notFound = () =>
      notInScope.inferenceService(service, scope.entityRef);
    const object = await orNotInScope(
      scope.cluster.getCustomObject(
        KSERVE_INFERENCE_SERVICE_RESOURCE,
        scope.namespace,
        service,
      ),
      notFound,
    );
    if (!this.isInScope(entity, scope, object)) {
      throw notFound();
    }
    return { scope, object };
  }

  /**
   * Whether a service is the entity's: named by its annotation, matched by its selector, or
   * deployed for it from the portal (`mlstack.io/entity-ref`).
   */
  isInScope(
    entity: Entity,
    scope: EntityKubernetesScope,
    object: unknown,
  ): boolean {
    const sources = readServiceSources(entity);
    const name = nameOf(object);
    return (
      sources.names.includes(name) ||
      (sources.selector !== undefined &&
        matchesLabelSelector(
          sources.selector.requirements,
          labelsOf(object),
        )) ||
      deployedFor(object, scope.entityRef)
    );
  }

  private async readService(
    scope: EntityKubernetesScope,
    name: string,
  ): Promise<unknown | undefined> {
    return orUndefinedIfNotFound(
      scope.cluster.getCustomObject(
        KSERVE_INFERENCE_SERVICE_RESOURCE,
        scope.namespace,
        name,
      ),
    );
  }

  private async listSelected(
    scope: EntityKubernetesScope,
    labelSelector: string,
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    let continueToken: string | undefined;
    do {
      const page = await scope.cluster.listCustomObjects(
        KSERVE_INFERENCE_SERVICE_RESOURCE,
        scope.namespace,
        { labelSelector, limit: 100, continueToken },
      );
      items.push(...page.items);
      continueToken = page.continueToken;
    } while (continueToken && items.length < MAX_SELECTED_SERVICES);
    return items;
  }

  private async linkModelVersions(
    entity: Entity,
    services: InferenceServiceView[],
  ): Promise<void> {
    const uris = services.flatMap(s =>
      s.predictor.storageUri ? [s.predictor.storageUri] : [],
    );
    if (uris.length === 0) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`MLflow did not answer within ${LINK_TIMEOUT_MS} ms`),
          ),
        LINK_TIMEOUT_MS,
      );
    });
    try {
      const found = await Promise.race([
        this.versions.find(entity, uris),
        deadline,
      ]);
      for (const service of services) {
        const uri = service.predictor.storageUri;
        const version = uri && found.get(normaliseStorageUri(uri));
        if (version) {
          service.modelVersion = version;
        }
      }
    } catch (error) {
      this.deps.logger.debug(
        `No model version links for the services of ${entity.metadata.name}: ${
          (error as Error).message
        }`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

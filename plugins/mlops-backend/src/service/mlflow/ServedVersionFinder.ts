import type { Entity } from '@backstage/catalog-model';
import type { ServedModelVersion } from '@mlstack/plugin-mlops-common';
import { kserveStorageUri } from '@mlstack/plugin-mlops-node';
import { BoundedMap } from './BoundedMap';
import type { MlflowEntityService } from './MlflowEntityService';

/** Versions whose download URI is looked up per request, at most (newest first). */
const MAX_RESOLVED_VERSIONS = 50;

/** URIs that name the files only through MLflow; their download URI is the storage URI. */
const INDIRECT_SOURCE = /^(models|runs|mlflow-artifacts):/;

/** A storage URI compared as KServe reads it: without trailing slashes. */
export function normaliseStorageUri(uri: string): string {
  return uri.trim().replace(/\/+$/, '');
}

/**
 * A download URI as KServe is given it: `mlflow-artifacts:/…` mapped to the instance's
 * `artifactsDestination` (as deploys write it); unmapped when KServe could not read it anyway.
 */
function asKserveReadsIt(
  downloadUri: string,
  instance: { name: string; artifactsDestination?: string },
): string {
  try {
    return kserveStorageUri(downloadUri, instance);
  } catch {
    return downloadUri;
  }
}

/**
 * Finds which of an entity's registered model versions a storage URI holds: a version whose
 * `source` is that URI, or (for `models:/…`, `runs:/…` and `mlflow-artifacts:/…` sources,
 * which KServe cannot read) whose download URI is. Download URIs never change, so they are
 * kept (bounded).
 */
export class ServedVersionFinder {
  private readonly downloadUris = new BoundedMap<string, string>(10_000);

  constructor(private readonly mlflow: MlflowEntityService) {}

  /** storage URI (normalised) → the version stored there, for the URIs that match one. */
  async find(
    requested: Entity,
    storageUris: string[],
  ): Promise<Map<string, ServedModelVersion>> {
    // One registry read for the whole lookup: each download-URI check below reads the models
    // again to check the version is the entity's.
    const entity = this.mlflow.forOneRequest(requested);
    const wanted = new Set(storageUris.map(normaliseStorageUri));
    const found = new Map<string, ServedModelVersion>();
    if (wanted.size === 0) {
      return found;
    }
    const { instance, models } = await this.mlflow.getModels(entity);
    const indirect: Array<{ version: ServedModelVersion; source: string }> = [];
    for (const model of models) {
      for (const version of model.versions) {
        const served: ServedModelVersion = {
          instance,
          modelName: model.name,
          version: version.version,
          aliases: version.aliases,
          uiUrl: version.uiUrl,
        };
        const source = version.source && normaliseStorageUri(version.source);
        if (source && wanted.has(source) && !found.has(source)) {
          found.set(source, served);
        } else if (source && INDIRECT_SOURCE.test(source)) {
          indirect.push({ version: served, source });
        }
      }
    }
    for (const { version } of indirect.slice(0, MAX_RESOLVED_VERSIONS)) {
      if (found.size === wanted.size) {
        break;
      }
      const uri = await this.downloadUri(entity, version);
      if (uri && wanted.has(uri) && !found.has(uri)) {
        found.set(uri, version);
      }
    }
    return found;
  }

  private async downloadUri(
    entity: Entity,
    version: ServedModelVersion,
  ): Promise<string | undefined> {
    const key = `${version.instance}\u0000${version.modelName}\u0000${version.version}`;
    const kept = this.downloadUris.get(key);
    if (kept !== undefined) {
      return kept;
    }
    try {
      const downloadUri = await this.mlflow.getModelVersionDownloadUri(
        entity,
        version.modelName,
        version.version,
      );
      const uri = normaliseStorageUri(
        asKserveReadsIt(downloadUri, this.mlflow.clientOf(entity)),
      );
      this.downloadUris.set(key, uri);
      return uri;
    } catch {
      return undefined;
    }
  }
}

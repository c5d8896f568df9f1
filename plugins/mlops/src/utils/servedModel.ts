import type { ServedModelRecord } from '@mlstack/plugin-mlops-common';

/** A served model in words: `fraud-detector v3`, `logged model m-…` or its storage URI. */
export function describeServedModel(
  record: Pick<
    ServedModelRecord,
    'modelName' | 'version' | 'modelId' | 'storageUri'
  >,
): string {
  if (record.modelName && record.version) {
    return `${record.modelName} v${record.version}`;
  }
  if (record.modelId) {
    return `logged model ${record.modelId}`;
  }
  return record.storageUri;
}

export { ServedModels } from './ServedModels';
export { hasCanary, modelShares } from './modelShares';
export type { ModelShare } from './modelShares';

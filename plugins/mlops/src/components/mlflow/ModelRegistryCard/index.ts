export { ModelRegistryCard } from './ModelRegistryCard';
export type { ModelRegistryCardProps } from './ModelRegistryCard';

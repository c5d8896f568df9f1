export { artifactLocation, hasPod, NodeDetails } from './NodeDetails';
export type { NodeDetailsProps } from './NodeDetails';

export { LineageGraph, KIND_TITLES, STATUS_COLORS } from './LineageGraph';
export { foldLineageVersions } from './foldLineageVersions';

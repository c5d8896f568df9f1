/** Lineage: the pure builder of a model's graph (data → workflow → run → version → service). */
export { buildLineageGraph } from './buildLineageGraph';
export type { LineageGraph, LineageGraphInputs } from './buildLineageGraph';
export { isValue } from './fetched';
export type { Fetched } from './fetched';
export { runLineageTags } from './lineageNodes';
export { repositoryAtCommit } from './repositoryAtCommit';
export { selectLineageVersions } from './selectLineageVersions';
export type { LineageFocus, VersionSelection } from './selectLineageVersions';
export { servingsOf } from './servingsOf';
export type { ServiceServing } from './servingsOf';

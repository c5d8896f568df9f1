/**
 * Reads what `scripts/harness/harness.sh up` wrote: where each real service listens and the
 * credentials it generated for this run.
 */
export {
  readHarnessState,
  requireHarnessService,
  harnessStatePath,
  type HarnessState,
} from './harnessState';
export { projectToolPath } from './projectTools';
export { loadUpstreamFixtures, upstreamFixturePath } from './upstreamFixtures';
export {
  diamondWorkflow,
  failedStepsWorkflow,
  flowerSample,
  runningTemplateWorkflow,
  sklearnIris,
  submittableTemplate,
  upstreamDiamondWorkflow,
  upstreamFailedRetriesWorkflow,
  upstreamFlowerSample,
  type KubeObject,
} from './upstreamObjects';
export {
  relabelUpstreamObject,
  replaceEverywhere,
  retimeStatus,
  rfc3339,
  withoutNulls,
  type Relabelling,
} from './upstreamRelabel';
export { seedMlflow, type MlflowSeedSummary } from './seedMlflow';

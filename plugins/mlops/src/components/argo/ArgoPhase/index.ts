export { ArgoPhase, isFailedPhase, isLivePhase, isLiveRun } from './ArgoPhase';

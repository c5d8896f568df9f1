export { RunStatus } from './RunStatus';

export { BackendErrorPanel, describeBackendError } from './BackendErrorPanel';
export type { BackendErrorPanelProps } from './BackendErrorPanel';

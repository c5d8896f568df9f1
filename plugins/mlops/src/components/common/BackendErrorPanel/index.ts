export { BackendErrorPanel, describeBackendError } from './BackendErrorPanel';
export type {
  BackendErrorPanelProps,
  BackendErrorWording,
} from './BackendErrorPanel';

export { LogPanel } from './LogPanel';
export type { LogPanelProps, LogsLike } from './LogPanel';

export { ServiceLogsDialog } from './ServiceLogsDialog';
export type { ServiceLogsDialogProps } from './ServiceLogsDialog';

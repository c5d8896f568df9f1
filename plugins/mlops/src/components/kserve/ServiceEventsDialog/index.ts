export { ServiceEventsDialog } from './ServiceEventsDialog';
export type { ServiceEventsDialogProps } from './ServiceEventsDialog';

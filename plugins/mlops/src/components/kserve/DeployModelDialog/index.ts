export { DeployModelDialog } from './DeployModelDialog';
export type { DeployModelDialogProps } from './DeployModelDialog';
export { DeployAliasChip, DeployModelButton } from './DeployModelButton';
export { serviceNameFor } from './deployForm';

export { RefusedMlflowItems, UnclaimedChip } from './MlflowOwnership';

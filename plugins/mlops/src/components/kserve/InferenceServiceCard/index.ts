export {
  ConditionStatus,
  InferenceServiceCard,
  isRollingOut,
} from './InferenceServiceCard';
export type { InferenceServiceCardProps } from './InferenceServiceCard';

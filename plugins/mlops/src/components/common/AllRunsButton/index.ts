export { AllRunsButton } from './AllRunsButton';

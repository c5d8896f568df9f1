export { MlflowContent } from './MlflowContent';

export { LineageContent } from './LineageContent';

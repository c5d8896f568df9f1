export { LineageGaps } from './LineageGaps';

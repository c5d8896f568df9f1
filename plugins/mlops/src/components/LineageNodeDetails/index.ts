export { LineageNodeDetails } from './LineageNodeDetails';

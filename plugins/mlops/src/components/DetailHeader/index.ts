export { DetailHeader } from './DetailHeader';

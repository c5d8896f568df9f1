export { LineageSelector } from './LineageSelector';
export type { LineageSelection } from './LineageSelector';

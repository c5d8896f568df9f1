export { LineageGraph, KIND_TITLES, STATUS_COLORS } from './LineageGraph';

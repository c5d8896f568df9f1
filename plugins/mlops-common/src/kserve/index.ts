export * from './types';
export * from './api';
export * from './deploy';
export * from './resources';

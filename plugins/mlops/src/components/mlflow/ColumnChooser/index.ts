export { ColumnChooser } from './ColumnChooser';
export type { ColumnChooserProps } from './ColumnChooser';

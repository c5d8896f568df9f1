import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';

export interface KeyValueTableProps {
  /** Accessible name of the table. */
  label: string;
  rows: Array<[string, ReactNode]>;
  keyHeader?: string;
  valueHeader?: string;
  emptyText?: string;
}

/** A compact two-column table for params, tags and the like. */
export function KeyValueTable(props: KeyValueTableProps) {
  const {
    label,
    rows,
    keyHeader = 'Key',
    valueHeader = 'Value',
    emptyText = 'None',
  } = props;
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {emptyText}
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>{keyHeader}</TableCell>
          <TableCell>{valueHeader}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(([key, value]) => (
          <TableRow key={key}>
            <TableCell component="th" scope="row">
              <code>{key}</code>
            </TableCell>
            <TableCell style={{ wordBreak: 'break-word' }}>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

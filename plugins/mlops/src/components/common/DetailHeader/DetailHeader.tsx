import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';

export interface DetailHeaderProps {
  /** The way back to the list (e.g. AllRunsButton). */
  back?: ReactNode;
  title: ReactNode;
  /** Status shown after the title. */
  status?: ReactNode;
  /** Buttons on the right. */
  actions?: ReactNode;
}

/** The header row of a run's detail view: back, title, status, and actions on the right. */
export function DetailHeader(props: DetailHeaderProps) {
  const { back, title, status, actions } = props;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 16 }}>
      {back}
      <Typography variant="h5" component="h2">
        {title}
      </Typography>
      {status}
      <Box flex={1} />
      {actions}
    </Box>
  );
}

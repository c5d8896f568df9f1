import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ChevronLeft from '@material-ui/icons/ChevronLeft';
import ChevronRight from '@material-ui/icons/ChevronRight';
import { useId } from 'react';

export interface TokenPaginationProps {
  /** Zero-based index of the page shown. */
  pageIndex: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  /** Rows on the page shown, for the `rows 26–50` label. */
  rowCount?: number;
  pageSize?: number;
  pageSizeOptions?: number[];
  onPageSizeChange?(pageSize: number): void;
  disabled?: boolean;
}

/**
 * Previous/next paging for APIs that hand out next-page tokens only: there is no
 * total and no jumping to the last page.
 */
export function TokenPagination(props: TokenPaginationProps) {
  const {
    pageIndex,
    hasPrevious,
    hasNext,
    onPrevious,
    onNext,
    rowCount,
    pageSize,
    pageSizeOptions,
    onPageSizeChange,
    disabled,
  } = props;
  const id = useId();

  const from = pageSize !== undefined ? pageIndex * pageSize + 1 : undefined;
  const label =
    from !== undefined && rowCount !== undefined && rowCount > 0
      ? `Page ${pageIndex + 1} · rows ${from}–${from + rowCount - 1}`
      : `Page ${pageIndex + 1}`;

  return (
    <Box
      display="flex"
      alignItems="center"
      justifyContent="flex-end"
      px={2}
      py={1}
      style={{ gap: 8 }}
    >
      {pageSize !== undefined && pageSizeOptions && onPageSizeChange && (
        <TextField
          id={id}
          select
          size="small"
          label="Rows per page"
          value={pageSize}
          onChange={e => onPageSizeChange(Number(e.target.value))}
          style={{ minWidth: 120 }}
        >
          {pageSizeOptions.map(option => (
            <MenuItem key={option} value={option}>
              {option}
            </MenuItem>
          ))}
        </TextField>
      )}
      <Typography variant="body2" color="textSecondary">
        {label}
      </Typography>
      <IconButton
        aria-label="Previous page"
        size="small"
        disabled={disabled || !hasPrevious}
        onClick={onPrevious}
      >
        <ChevronLeft />
      </IconButton>
      <IconButton
        aria-label="Next page"
        size="small"
        disabled={disabled || !hasNext}
        onClick={onNext}
      >
        <ChevronRight />
      </IconButton>
    </Box>
  );
}

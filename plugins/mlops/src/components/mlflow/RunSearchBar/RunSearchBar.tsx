import IconButton from '@material-ui/core/IconButton';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Clear from '@material-ui/icons/Clear';
import Search from '@material-ui/icons/Search';
import { type FormEvent, useEffect, useId, useState } from 'react';

export interface RunSearchBarProps {
  /** The filter in effect. */
  filter: string;
  onSearch(filter: string): void;
  /** Why MLflow rejected the filter, shown under the box. */
  error?: string;
}

const HELP =
  'MLflow search syntax, e.g. metrics.accuracy > 0.9 and params.lr = "0.01" and attributes.status = "FINISHED"';

/** A search box for MLflow's run filter syntax, applied on Enter. */
export function RunSearchBar(props: RunSearchBarProps) {
  const { filter, onSearch, error } = props;
  const id = useId();
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(draft.trim());
  };

  return (
    <form onSubmit={submit} style={{ flex: 1, minWidth: 280 }} role="search">
      <TextField
        id={id}
        fullWidth
        size="small"
        variant="outlined"
        label="Filter runs"
        placeholder='metrics.accuracy > 0.9 and params.lr = "0.01"'
        value={draft}
        onChange={e => setDraft(e.target.value)}
        error={!!error}
        helperText={error ?? HELP}
        FormHelperTextProps={{ role: error ? 'alert' : undefined }}
        InputProps={{
          endAdornment: (
            <InputAdornment position="end">
              {(draft || filter) && (
                <IconButton
                  size="small"
                  aria-label="Clear filter"
                  onClick={() => {
                    setDraft('');
                    onSearch('');
                  }}
                >
                  <Clear fontSize="small" />
                </IconButton>
              )}
              <IconButton size="small" aria-label="Apply filter" type="submit">
                <Search fontSize="small" />
              </IconButton>
            </InputAdornment>
          ),
        }}
      />
    </form>
  );
}

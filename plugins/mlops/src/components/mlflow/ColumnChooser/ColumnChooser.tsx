import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import Popover from '@material-ui/core/Popover';
import Typography from '@material-ui/core/Typography';
import ViewColumn from '@material-ui/icons/ViewColumn';
import { useState } from 'react';

export interface ColumnChooserProps {
  metricKeys: string[];
  paramKeys: string[];
  selectedMetrics: string[];
  selectedParams: string[];
  onChange(selection: { metrics: string[]; params: string[] }): void;
}

function toggle(list: string[], key: string): string[] {
  return list.includes(key) ? list.filter(k => k !== key) : [...list, key];
}

function KeyGroup(props: {
  label: string;
  keys: string[];
  selected: string[];
  onToggle(key: string): void;
}) {
  const { label, keys, selected, onToggle } = props;
  return (
    <Box mr={3} mb={1} minWidth={160}>
      <FormLabel component="legend">{label}</FormLabel>
      {keys.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          None logged
        </Typography>
      ) : (
        <FormGroup>
          {keys.map(key => (
            <FormControlLabel
              key={key}
              label={key}
              control={
                <Checkbox
                  size="small"
                  checked={selected.includes(key)}
                  onChange={() => onToggle(key)}
                  inputProps={{ 'aria-label': `${label}: ${key}` }}
                />
              }
            />
          ))}
        </FormGroup>
      )}
    </Box>
  );
}

/** Chooses which metric and param columns the runs table shows. */
export function ColumnChooser(props: ColumnChooserProps) {
  const { metricKeys, paramKeys, selectedMetrics, selectedParams, onChange } =
    props;
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const count = selectedMetrics.length + selectedParams.length;

  return (
    <>
      <Button
        variant="outlined"
        startIcon={<ViewColumn />}
        onClick={e => setAnchor(e.currentTarget)}
        aria-haspopup="dialog"
      >
        Columns ({count})
      </Button>
      <Popover
        open={!!anchor}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        PaperProps={{ role: 'dialog', 'aria-label': 'Choose columns' } as any}
      >
        <Box display="flex" p={2} maxHeight={420} style={{ overflowY: 'auto' }}>
          <KeyGroup
            label="Metrics"
            keys={metricKeys}
            selected={selectedMetrics}
            onToggle={key =>
              onChange({
                metrics: toggle(selectedMetrics, key),
                params: selectedParams,
              })
            }
          />
          <KeyGroup
            label="Params"
            keys={paramKeys}
            selected={selectedParams}
            onToggle={key =>
              onChange({
                metrics: selectedMetrics,
                params: toggle(selectedParams, key),
              })
            }
          />
        </Box>
      </Popover>
    </>
  );
}

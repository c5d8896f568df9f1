import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  LINEAGE_MAX_VERSIONS,
  type LineageVersionOption,
} from '@mlstack/plugin-mlops-common';
import { useId } from 'react';

/** What the graph shows: a model, and optionally one version or the version of an alias. */
export interface LineageSelection {
  model?: string;
  version?: string;
  alias?: string;
}

const ALL = '__all__';
const focusValue = (s: LineageSelection) =>
  (s.version && `version:${s.version}`) ||
  (s.alias && `alias:${s.alias}`) ||
  ALL;

export interface LineageSelectorProps {
  models: string[];
  versions: LineageVersionOption[];
  value: LineageSelection;
  onChange(selection: LineageSelection): void;
}

/** Picks the model, then its newest versions, one version, or the version an alias points at. */
export function LineageSelector(props: LineageSelectorProps) {
  const { models, versions, value, onChange } = props;
  const modelId = useId();
  const focusId = useId();
  const aliases = versions.flatMap(v =>
    v.aliases.map(alias => ({ alias, version: v.version })),
  );
  const onFocus = (focus: string) => {
    const [kind, name] = focus.split(/:(.*)/s);
    onChange({
      model: value.model,
      ...(kind === 'version' ? { version: name } : {}),
      ...(kind === 'alias' ? { alias: name } : {}),
    });
  };
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
      <TextField
        id={modelId}
        select
        size="small"
        variant="outlined"
        label="Model"
        value={value.model ?? models[0] ?? ''}
        onChange={e => onChange({ model: e.target.value })}
        style={{ minWidth: 200 }}
      >
        {models.map(model => (
          <MenuItem key={model} value={model}>
            {model}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id={focusId}
        select
        size="small"
        variant="outlined"
        label="Focus"
        value={focusValue(value)}
        onChange={e => onFocus(e.target.value)}
        style={{ minWidth: 220 }}
      >
        <MenuItem value={ALL}>
          Newest versions (up to {LINEAGE_MAX_VERSIONS})
        </MenuItem>
        {aliases.map(({ alias, version }) => (
          <MenuItem key={`alias:${alias}`} value={`alias:${alias}`}>
            @{alias} (v{version})
          </MenuItem>
        ))}
        {versions.map(v => (
          <MenuItem key={`version:${v.version}`} value={`version:${v.version}`}>
            Version {v.version}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );
}

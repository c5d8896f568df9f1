import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { LineageNode } from '@mlstack/plugin-mlops-common';
import { useMemo, useState } from 'react';
import { useEntityRef } from '../../../hooks/useEntityRef';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { LineageGaps } from '../LineageGaps';
import { LineageGraph, foldLineageVersions } from '../LineageGraph';
import { LineageNodeDetails } from '../LineageNodeDetails';
import { LineageSelection, LineageSelector } from '../LineageSelector';
import { useLineage } from './useLineage';

/**
 * The story of a model on one page: data version → Argo workflow → MLflow run → registered
 * model version → InferenceServices, with the links that could not be made listed under the
 * graph. A model, version or alias focuses it; a node shows its fields and links when selected.
 */
export function LineageContent() {
  const entityRef = useEntityRef();
  const [selection, setSelection] = useState<LineageSelection>({});
  const [selected, setSelected] = useState<LineageNode | undefined>();
  const [allVersions, setAllVersions] = useState(false);
  const { value, loading, error } = useLineage(entityRef, selection);
  const graph = useMemo(
    () =>
      value &&
      (allVersions
        ? { nodes: value.nodes, edges: value.edges, foldedVersions: 0 }
        : foldLineageVersions(
            value.nodes,
            value.edges,
            value.model,
            value.versions,
          )),
    [value, allVersions],
  );

  const onSelection = (next: LineageSelection) => {
    setSelected(undefined);
    setAllVersions(false);
    setSelection(next);
  };

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <InfoCard title="Lineage">
          <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
            {value && (
              <LineageSelector
                models={value.models}
                versions={value.versions}
                value={{ ...selection, model: selection.model ?? value.model }}
                onChange={onSelection}
              />
            )}
            {loading && <Progress />}
            {error && (
              <BackendErrorPanel
                error={error}
                subject="lineage"
                title="Could not load the lineage"
              />
            )}
            {value && graph && !loading && (
              <>
                {graph.foldedVersions > 0 && (
                  <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                    <Typography variant="body2" color="textSecondary">
                      {graph.foldedVersions} versions neither among the newest,
                      served nor aliased are folded.
                    </Typography>
                    <Button size="small" onClick={() => setAllVersions(true)}>
                      Show all versions
                    </Button>
                  </Box>
                )}
                {value.nodes.length > 0 ? (
                  <LineageGraph
                    nodes={graph.nodes}
                    edges={graph.edges}
                    selectedNodeId={selected?.id}
                    onSelectNode={setSelected}
                  />
                ) : (
                  <Typography variant="body2" color="textSecondary">
                    Nothing of {value.model} could be read (see below).
                  </Typography>
                )}
                <LineageGaps gaps={value.gaps} />
              </>
            )}
          </Box>
        </InfoCard>
      </Grid>
      {selected && (
        <Grid item xs={12}>
          <LineageNodeDetails node={selected} />
        </Grid>
      )}
    </Grid>
  );
}

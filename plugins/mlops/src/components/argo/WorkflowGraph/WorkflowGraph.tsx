import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  ArgoGraphEdge,
  ArgoNode,
  ArgoNodePhase,
} from '@mlstack/plugin-mlops-common';
import { type KeyboardEvent, useCallback, useMemo } from 'react';

/** Fill colour of a node by phase; white text stays readable on each. */
export const PHASE_COLORS: Record<ArgoNodePhase, string> = {
  Succeeded: '#2e7d32',
  Failed: '#c62828',
  Error: '#c62828',
  Running: '#1565c0',
  Pending: '#757575',
  Skipped: '#9e9e9e',
  Omitted: '#9e9e9e',
  Unknown: '#ef6c00',
};

const PHASE_ORDER: ArgoNodePhase[] = [
  'Succeeded',
  'Running',
  'Pending',
  'Failed',
  'Error',
  'Skipped',
  'Omitted',
  'Unknown',
];

/** Nodes that only group others: drawn as small dots so the steps stand out. */
const GROUP_TYPES = new Set(['StepGroup', 'TaskGroup']);
/** Nodes that contain others (the workflow, a template call, retries): drawn outlined. */
const CONTAINER_TYPES = new Set(['Steps', 'DAG', 'Retry']);

const useStyles = makeStyles({
  // DependencyGraph's wrappers have no height of their own: make them fill the
  // box, so that `fit="contain"` scales the graph into it instead of overflowing.
  graphBox: {
    overflow: 'hidden',
    '& > div, & > div > div': { height: '100%' },
  },
});

const NODE_WIDTH = 168;
const NODE_HEIGHT = 34;
const MAX_LABEL = 22;

type GraphNodeData = { argo: ArgoNode; selected: boolean };

function truncate(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

function nodeLabel(node: ArgoNode): string {
  return `${node.displayName}: ${node.phase}`;
}

/** The graph's legend: each phase present, with its colour and how many nodes have it. */
export function PhaseLegend(props: { nodes: ArgoNode[] }) {
  const counts = new Map<ArgoNodePhase, number>();
  for (const node of props.nodes) {
    if (!GROUP_TYPES.has(node.type)) {
      counts.set(node.phase, (counts.get(node.phase) ?? 0) + 1);
    }
  }
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 12 }}
      aria-label="Legend"
      role="list"
    >
      {PHASE_ORDER.filter(phase => counts.has(phase)).map(phase => (
        <Box
          key={phase}
          display="flex"
          alignItems="center"
          style={{ gap: 4 }}
          role="listitem"
        >
          <Box
            width={12}
            height={12}
            borderRadius={2}
            style={{ backgroundColor: PHASE_COLORS[phase] }}
          />
          <Typography variant="caption">
            {phase} ({counts.get(phase)})
          </Typography>
        </Box>
      ))}
      <Typography variant="caption" color="textSecondary">
        Outlined: steps, DAGs and retries; dots: step and task groups.
      </Typography>
    </Box>
  );
}

export interface WorkflowGraphProps {
  nodes: ArgoNode[];
  edges: ArgoGraphEdge[];
  selectedNodeId?: string;
  onSelectNode(node: ArgoNode): void;
}

/**
 * The workflow's nodes and edges as a DAG drawn by `DependencyGraph`, coloured
 * by node phase. Every node of the backend's graph is drawn (so edges stay as
 * Argo has them); step and task groups as dots. Zoom and pan with the mouse;
 * large graphs are fitted into the box.
 */
export function WorkflowGraph(props: WorkflowGraphProps) {
  const { nodes, edges, selectedNodeId, onSelectNode } = props;
  const classes = useStyles();

  const graphNodes = useMemo(
    () =>
      nodes.map(argo => ({
        id: argo.id,
        argo,
        selected: argo.id === selectedNodeId,
      })),
    [nodes, selectedNodeId],
  );
  const known = useMemo(() => new Set(nodes.map(n => n.id)), [nodes]);
  const graphEdges = useMemo(
    () => edges.filter(e => known.has(e.from) && known.has(e.to)),
    [edges, known],
  );
  const failed = useMemo(
    () =>
      nodes.filter(
        n =>
          (n.phase === 'Failed' || n.phase === 'Error') &&
          !GROUP_TYPES.has(n.type) &&
          !CONTAINER_TYPES.has(n.type),
      ),
    [nodes],
  );

  const renderNode = useCallback(
    ({
      node,
    }: DependencyGraphTypes.RenderNodeProps<GraphNodeData>): JSX.Element => {
      const { argo, selected } = node;
      const color = PHASE_COLORS[argo.phase] ?? PHASE_COLORS.Unknown;
      const select = () => onSelectNode(argo);
      const onKeyDown = (e: KeyboardEvent) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select();
        }
      };
      const common = {
        role: 'button',
        tabIndex: 0,
        'aria-label': nodeLabel(argo),
        'aria-pressed': selected,
        'data-phase': argo.phase,
        onClick: select,
        onKeyDown,
        style: { cursor: 'pointer' },
      };
      if (GROUP_TYPES.has(argo.type)) {
        return (
          <g {...common}>
            <title>{`${argo.displayName} (${argo.type}): ${argo.phase}`}</title>
            <circle
              cx={8}
              cy={8}
              r={selected ? 8 : 6}
              fill={color}
              stroke={selected ? '#000' : 'none'}
            />
          </g>
        );
      }
      const outlined = CONTAINER_TYPES.has(argo.type);
      return (
        <g {...common}>
          <title>
            {`${argo.name} (${argo.type}): ${argo.phase}${
              argo.message ? ` — ${argo.message}` : ''
            }`}
          </title>
          <rect
            width={NODE_WIDTH}
            height={NODE_HEIGHT}
            rx={6}
            fill={outlined ? '#ffffff' : color}
            stroke={selected ? '#000000' : color}
            strokeWidth={selected ? 3 : 2}
            strokeDasharray={argo.type === 'Retry' ? '4 2' : undefined}
          />
          <text
            x={NODE_WIDTH / 2}
            y={NODE_HEIGHT / 2}
            textAnchor="middle"
            dominantBaseline="middle"
            fontSize={13}
            fill={outlined ? color : '#ffffff'}
          >
            {truncate(argo.displayName)}
          </text>
        </g>
      );
    },
    [onSelectNode],
  );

  const big = nodes.length > 40;
  return (
    <Box>
      <PhaseLegend nodes={nodes} />
      {failed.length > 0 && (
        <Box
          mt={1}
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 4 }}
        >
          <Typography variant="caption">Failed steps:</Typography>
          {failed.slice(0, 20).map(n => (
            <Chip
              key={n.id}
              size="small"
              label={n.displayName}
              onClick={() => onSelectNode(n)}
              style={{ backgroundColor: PHASE_COLORS.Failed, color: '#fff' }}
            />
          ))}
          {failed.length > 20 && (
            <Typography variant="caption">
              and {failed.length - 20} more
            </Typography>
          )}
        </Box>
      )}
      <Box
        mt={1}
        height={big ? 640 : 420}
        border={1}
        borderColor="divider"
        borderRadius={4}
        position="relative"
        className={classes.graphBox}
        aria-label="Workflow graph"
        role="figure"
      >
        <DependencyGraph<GraphNodeData, {}>
          nodes={graphNodes}
          edges={graphEdges}
          renderNode={renderNode}
          direction={DependencyGraphTypes.Direction.TOP_BOTTOM}
          ranker={
            big
              ? DependencyGraphTypes.Ranker.LONGEST_PATH
              : DependencyGraphTypes.Ranker.NETWORK_SIMPLEX
          }
          nodeMargin={big ? 16 : 40}
          rankMargin={big ? 40 : 50}
          paddingX={16}
          paddingY={16}
          zoom="enabled"
          fit="contain"
          showArrowHeads
        />
      </Box>
    </Box>
  );
}

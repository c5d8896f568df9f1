import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import type {
  LineageEdge,
  LineageNode,
  LineageNodeKind,
  LineageStatus,
} from '@mlstack/plugin-mlops-common';
import { type KeyboardEvent, useCallback, useMemo } from 'react';

/** Border colour of a node by its status. */
export const STATUS_COLORS: Record<LineageStatus['level'], string> = {
  ok: '#2e7d32',
  running: '#1565c0',
  pending: '#757575',
  warning: '#ef6c00',
  error: '#c62828',
  unknown: '#9e9e9e',
};

/** What a node is, in words (its first line). */
export const KIND_TITLES: Record<LineageNodeKind, string> = {
  data: 'Data version',
  dataset: 'Dataset input',
  workflow: 'Argo workflow',
  run: 'MLflow run',
  loggedModel: 'Logged model',
  modelVersion: 'Model version',
  inferenceService: 'InferenceService',
};

const NODE_WIDTH = 200;
const NODE_HEIGHT = 48;
const MAX_LABEL = 26;

const useStyles = makeStyles({
  graphBox: {
    overflow: 'hidden',
    '& > div, & > div > div': { height: '100%' },
  },
});

type GraphNodeData = { lineage: LineageNode; selected: boolean };

const truncate = (text: string) =>
  text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;

export interface LineageGraphProps {
  nodes: LineageNode[];
  edges: LineageEdge[];
  selectedNodeId?: string;
  onSelectNode(node: LineageNode): void;
}

/**
 * The lineage as a left-to-right graph (data → workflow → run → version → services): each
 * node names its kind and label, its border says its status; a node is selected with a click
 * or Enter to show its fields and links.
 */
export function LineageGraph(props: LineageGraphProps) {
  const { nodes, edges, selectedNodeId, onSelectNode } = props;
  const classes = useStyles();
  const graphNodes = useMemo(
    () =>
      nodes.map(lineage => ({
        id: lineage.id,
        lineage,
        selected: lineage.id === selectedNodeId,
      })),
    [nodes, selectedNodeId],
  );

  const renderNode = useCallback(
    ({
      node,
    }: DependencyGraphTypes.RenderNodeProps<GraphNodeData>): JSX.Element => {
      const { lineage, selected } = node;
      const color = STATUS_COLORS[lineage.status?.level ?? 'unknown'];
      const select = () => onSelectNode(lineage);
      const onKeyDown = (e: KeyboardEvent) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select();
        }
      };
      const status = lineage.status ? ` (${lineage.status.text})` : '';
      return (
        <g
          role="button"
          tabIndex={0}
          aria-label={`${KIND_TITLES[lineage.kind]} ${lineage.label}${status}`}
          aria-pressed={selected}
          onClick={select}
          onKeyDown={onKeyDown}
          style={{ cursor: 'pointer' }}
        >
          <title>{`${KIND_TITLES[lineage.kind]}: ${
            lineage.label
          }${status}`}</title>
          <rect
            width={NODE_WIDTH}
            height={NODE_HEIGHT}
            rx={6}
            fill="#ffffff"
            stroke={selected ? '#000000' : color}
            strokeWidth={selected ? 3 : 2}
            strokeDasharray={
              lineage.status?.level === 'warning' ? '5 3' : undefined
            }
          />
          <text x={10} y={17} fontSize={11} fill="#616161">
            {KIND_TITLES[lineage.kind]}
            {lineage.status ? ` · ${lineage.status.text}` : ''}
          </text>
          <text x={10} y={36} fontSize={13} fill="#212121">
            {truncate(lineage.label)}
          </text>
        </g>
      );
    },
    [onSelectNode],
  );

  return (
    <Box
      height={Math.max(320, Math.min(720, 90 * Math.ceil(nodes.length / 3)))}
      border={1}
      borderColor="divider"
      borderRadius={4}
      className={classes.graphBox}
      aria-label="Lineage graph"
      role="figure"
    >
      <DependencyGraph<GraphNodeData, { label?: string }>
        nodes={graphNodes}
        edges={edges}
        renderNode={renderNode}
        direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
        labelPosition={DependencyGraphTypes.LabelPosition.RIGHT}
        paddingX={16}
        paddingY={16}
        rankMargin={80}
        nodeMargin={24}
        fit="contain"
        zoom="enable-on-click"
        showArrowHeads
      />
    </Box>
  );
}

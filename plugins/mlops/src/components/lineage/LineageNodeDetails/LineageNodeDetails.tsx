import { InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import type { LineageNode } from '@mlstack/plugin-mlops-common';
import { useLocation } from 'react-router-dom';
import { KeyValueTable } from '../../common/KeyValueTable';
import { KIND_TITLES } from '../LineageGraph';
import { entityTabHref } from './entityTabHref';

/** The selected node: what it says (fields) and where it leads (tabs, MLflow, the repository). */
export function LineageNodeDetails(props: { node: LineageNode }) {
  const { node } = props;
  const { pathname } = useLocation();
  return (
    <InfoCard
      title={`${KIND_TITLES[node.kind]}: ${node.label}`}
      subheader={node.status?.text}
    >
      {node.links.length > 0 && (
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={1}>
          {node.links.map(link => (
            <Link
              key={link.title}
              to={
                link.entityTab
                  ? entityTabHref(pathname, link.entityTab)
                  : link.url ?? ''
              }
            >
              {link.title}
            </Link>
          ))}
        </Box>
      )}
      <KeyValueTable
        label={`Fields of ${node.label}`}
        keyHeader="Field"
        rows={node.fields.map(f => [f.label, f.value])}
        emptyText="Nothing more is known about it (see the gaps below)."
      />
    </InfoCard>
  );
}

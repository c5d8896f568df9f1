import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Breadcrumbs from '@material-ui/core/Breadcrumbs';
import Link from '@material-ui/core/Link';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Folder from '@material-ui/icons/Folder';
import InsertDriveFile from '@material-ui/icons/InsertDriveFile';
import { useState } from 'react';
import type { MlopsEntityRef } from '../../../api';
import { useMlflowArtifacts, usePageTokens } from '../../../hooks';
import { formatBytes } from '../../../utils/format';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { TokenPagination } from '../../common/TokenPagination';

export interface ArtifactBrowserProps {
  entityRef: MlopsEntityRef;
  runId: string;
}

function baseName(path: string): string {
  return path.split('/').filter(Boolean).pop() ?? path;
}

/** A run's artifacts, one folder at a time, paged. */
export function ArtifactBrowser(props: ArtifactBrowserProps) {
  const { entityRef, runId } = props;
  const [path, setPath] = useState('');
  const pages = usePageTokens(`${runId}:${path}`);
  const { value, loading, error } = useMlflowArtifacts(entityRef, runId, {
    path: path || undefined,
    pageToken: pages.pageToken,
  });
  const segments = path.split('/').filter(Boolean);

  return (
    <Box>
      <Breadcrumbs aria-label="Artifact folder">
        {segments.length === 0 ? (
          <Typography color="textPrimary">artifacts</Typography>
        ) : (
          <Link component="button" onClick={() => setPath('')}>
            artifacts
          </Link>
        )}
        {segments.map((segment, i) => {
          const target = segments.slice(0, i + 1).join('/');
          return i === segments.length - 1 ? (
            <Typography key={target} color="textPrimary">
              {segment}
            </Typography>
          ) : (
            <Link
              key={target}
              component="button"
              onClick={() => setPath(target)}
            >
              {segment}
            </Link>
          );
        })}
      </Breadcrumbs>
      {value?.rootUri && (
        <Typography variant="caption" color="textSecondary">
          {value.rootUri}
        </Typography>
      )}
      {loading && <Progress />}
      {error && (
        <BackendErrorPanel
          error={error}
          subject="MLflow"
          wording="availability"
        />
      )}
      {!loading && !error && value && value.files.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No artifacts here.
        </Typography>
      )}
      {!loading && !error && value && value.files.length > 0 && (
        <List dense aria-label="Artifacts">
          {value.files.map(file =>
            file.isDir ? (
              <ListItem
                key={file.path}
                button
                onClick={() => setPath(file.path)}
                aria-label={`Open folder ${baseName(file.path)}`}
              >
                <ListItemIcon>
                  <Folder />
                </ListItemIcon>
                <ListItemText primary={`${baseName(file.path)}/`} />
              </ListItem>
            ) : (
              <ListItem key={file.path}>
                <ListItemIcon>
                  <InsertDriveFile />
                </ListItemIcon>
                <ListItemText
                  primary={baseName(file.path)}
                  secondary={formatBytes(file.fileSize)}
                />
              </ListItem>
            ),
          )}
        </List>
      )}
      {(pages.hasPrevious || value?.nextPageToken) && (
        <TokenPagination
          pageIndex={pages.pageIndex}
          hasPrevious={pages.hasPrevious}
          hasNext={!!value?.nextPageToken}
          onPrevious={pages.previous}
          onNext={() => value?.nextPageToken && pages.next(value.nextPageToken)}
          disabled={loading}
        />
      )}
    </Box>
  );
}

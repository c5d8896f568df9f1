import { Progress, WarningPanel } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Refresh from '@material-ui/icons/Refresh';
import {
  KSERVE_INFERENCE_SERVICE_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@mlstack/plugin-mlops-common';
import { getKubernetesNamespace } from '../../../conditions';
import { useEntityRef, useInferenceServices, usePolling } from '../../../hooks';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { InferenceServiceCard, isRollingOut } from '../InferenceServiceCard';

/**
 * The Serving entity tab: the entity's KServe InferenceServices, one card
 * each. Refreshes itself while a service is not ready or rolling out.
 */
export function ServingContent() {
  const { entity } = useEntity();
  const entityRef = useEntityRef();
  const hasNamespace = !!getKubernetesNamespace(entity);
  const { value, loading, error, retry } = useInferenceServices(
    entityRef,
    hasNamespace,
  );

  // A stopped service is not ready and stays so: nothing to wait for.
  const settling =
    !!value &&
    value.services.some(s => (!s.ready && !s.stopped) || isRollingOut(s));
  usePolling(hasNamespace && settling && !error, retry);

  if (!hasNamespace) {
    return (
      <MissingAnnotationEmptyState
        annotation={KUBERNETES_NAMESPACE_ANNOTATION}
      />
    );
  }
  if (!value) {
    if (loading) {
      return <Progress />;
    }
    return (
      <BackendErrorPanel
        error={error ?? new Error('No answer from the backend')}
        subject="KServe"
        title="Could not load the InferenceServices"
      />
    );
  }

  const missing = value.missingServices;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" style={{ gap: 16 }}>
          <Typography variant="body2" color="textSecondary">
            Namespace <code>{value.namespace}</code> on cluster{' '}
            <code>{value.cluster}</code>
          </Typography>
          <Box flex={1} />
          <Button
            size="small"
            startIcon={<Refresh />}
            onClick={retry}
            disabled={loading}
          >
            Refresh
          </Button>
        </Box>
      </Grid>
      {error && (
        <Grid item xs={12}>
          <BackendErrorPanel
            error={error}
            subject="KServe"
            title="Could not refresh the InferenceServices"
          />
        </Grid>
      )}
      {missing.length > 0 && (
        <Grid item xs={12}>
          <WarningPanel
            severity="warning"
            title={`InferenceService${
              missing.length > 1 ? 's' : ''
            } not found: ${missing.join(', ')}`}
            message={
              <>
                The entity's <code>{KSERVE_INFERENCE_SERVICE_ANNOTATION}</code>{' '}
                annotation names services that namespace{' '}
                <code>{value.namespace}</code> on cluster{' '}
                <code>{value.cluster}</code> does not have.
              </>
            }
          />
        </Grid>
      )}
      {value.services.length === 0 && (
        <Grid item xs={12}>
          <Typography color="textSecondary">
            No InferenceServices of this entity in the namespace.
          </Typography>
        </Grid>
      )}
      {value.services.map(service => (
        <Grid item xs={12} xl={6} key={service.uid ?? service.name}>
          <InferenceServiceCard
            entityRef={entityRef}
            service={service}
            onChanged={retry}
          />
        </Grid>
      ))}
    </Grid>
  );
}

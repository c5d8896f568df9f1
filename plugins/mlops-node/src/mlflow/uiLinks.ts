/**
 * Deep links into the MLflow web UI. The UI routes with a hash router; these are the routes
 * of MLflow 3 (`mlflow/server/js/src/experiment-tracking/routes` and
 * `model-registry/routes`). `#/runs/<runId>` is the UI's own redirect to the run's page for
 * when the experiment id is not at hand.
 */
export class MlflowUiLinks {
  readonly baseUrl: string;

  /** @param uiBaseUrl - where the MLflow UI is served, e.g. `https://mlflow.example.com` */
  constructor(uiBaseUrl: string) {
    this.baseUrl = uiBaseUrl.replace(/\/+$/, '');
  }

  experiment(experimentId: string): string {
    return this.route('experiments', experimentId);
  }

  run(experimentId: string, runId: string): string {
    return this.route('experiments', experimentId, 'runs', runId);
  }

  /** The run's page when only its id is known; the UI redirects to the experiment's run page. */
  runById(runId: string): string {
    return this.route('runs', runId);
  }

  registeredModel(name: string): string {
    return this.route('models', name);
  }

  modelVersion(name: string, version: string): string {
    return this.route('models', name, 'versions', version);
  }

  loggedModel(experimentId: string, modelId: string): string {
    return this.route('experiments', experimentId, 'models', modelId);
  }

  private route(...segments: string[]): string {
    return `${this.baseUrl}/#/${segments.map(encodeURIComponent).join('/')}`;
  }
}

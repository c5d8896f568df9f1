import {
  type DeployMode,
  type DeployRequest,
  type DeploySource,
  type DeployTarget,
  dns1035LabelProblem,
  INFERENCE_SERVICE_NAME_MAX_LENGTH,
} from '@mlstack/plugin-mlops-common';

/** The deploy form as the user edits it: every field a string, as typed. */
export interface DeployFormValues {
  /** `cluster/namespace` of the chosen target. */
  target: string;
  serviceName: string;
  mode: DeployMode | '';
  /** A runtime name; empty for the runtime of the model's flavor. */
  runtime: string;
  canaryTrafficPercent: string;
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
  minReplicas: string;
  maxReplicas: string;
}

export type DeployFormProblems = Partial<
  Record<keyof DeployFormValues, string>
>;

export function targetKey(target: Pick<DeployTarget, 'cluster' | 'namespace'>) {
  return `${target.cluster}/${target.namespace}`;
}

export function findTarget(
  targets: DeployTarget[],
  key: string,
): DeployTarget | undefined {
  return targets.find(t => targetKey(t) === key);
}

/** A name for the service from a model's name: a DNS-1035 label, when one can be made. */
export function serviceNameFor(modelName: string): string {
  return modelName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, INFERENCE_SERVICE_NAME_MAX_LENGTH)
    .replace(/-+$/, '');
}

/** What to call the source in titles and messages. */
export function describeSource(source: DeploySource): string {
  switch (source.type) {
    case 'modelVersion':
      return `${source.modelName} version ${source.version}`;
    case 'modelAlias':
      return `${source.modelName}@${source.alias}`;
    case 'loggedModel':
    default:
      return `logged model ${source.modelId}`;
  }
}

export function initialValues(
  serviceName: string,
  targets: DeployTarget[] = [],
): DeployFormValues {
  const target = targets.find(t => !t.refusedReason);
  return {
    target: target ? targetKey(target) : '',
    serviceName,
    mode: target?.modes[0] ?? '',
    runtime: '',
    canaryTrafficPercent: '0',
    cpuRequest: '',
    cpuLimit: '',
    memoryRequest: '',
    memoryLimit: '',
    minReplicas: '',
    maxReplicas: '',
  };
}

/** A Kubernetes resource quantity (`500m`, `1`, `0.5`, `2Gi`, `1e3`). */
const QUANTITY =
  /^\+?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const RESOURCE_FIELDS = [
  'cpuRequest',
  'cpuLimit',
  'memoryRequest',
  'memoryLimit',
] as const;

function integer(value: string): number | undefined {
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** What is wrong with the form, by field; empty when it can be sent. */
export function formProblems(
  values: DeployFormValues,
  targets: DeployTarget[],
): DeployFormProblems {
  const problems: DeployFormProblems = {};
  const target = findTarget(targets, values.target);
  if (!target) {
    problems.target = 'Choose where to deploy';
  } else if (target.refusedReason) {
    problems.target = target.refusedReason;
  }
  const nameProblem = dns1035LabelProblem(
    values.serviceName,
    INFERENCE_SERVICE_NAME_MAX_LENGTH,
  );
  if (nameProblem) {
    problems.serviceName = `The service name ${nameProblem}`;
  }
  if (!values.mode || (target && !target.modes.includes(values.mode))) {
    problems.mode = 'Choose a deployment mode the target allows';
  }
  const percent = integer(values.canaryTrafficPercent);
  if (percent === undefined || percent > 99) {
    problems.canaryTrafficPercent = 'A whole number from 0 to 99';
  }
  for (const field of RESOURCE_FIELDS) {
    const value = values[field].trim();
    if (value && !QUANTITY.test(value)) {
      problems[field] = 'A Kubernetes quantity, e.g. 500m, 1, 512Mi or 2Gi';
    }
  }
  const min = values.minReplicas.trim();
  const max = values.maxReplicas.trim();
  if (min && integer(min) === undefined) {
    problems.minReplicas = 'A whole number, 0 or more';
  }
  if (max && (integer(max) === undefined || integer(max) === 0)) {
    problems.maxReplicas = 'A whole number, 1 or more';
  }
  if (
    !problems.minReplicas &&
    !problems.maxReplicas &&
    min &&
    max &&
    Number(min) > Number(max)
  ) {
    problems.maxReplicas = 'At least the minimum';
  }
  return problems;
}

/** The request for valid `values` (see formProblems); empty optional fields left out. */
export function toDeployRequest(
  source: DeploySource,
  values: DeployFormValues,
  targets: DeployTarget[],
): DeployRequest {
  const target = findTarget(targets, values.target);
  if (!target || !values.mode) {
    throw new Error('No deploy target chosen');
  }
  const resources = Object.fromEntries(
    RESOURCE_FIELDS.map(f => [f, values[f].trim()]).filter(([, v]) => v),
  );
  const request: DeployRequest = {
    source,
    target: { cluster: target.cluster, namespace: target.namespace },
    serviceName: values.serviceName,
    mode: values.mode,
    canaryTrafficPercent: Number(values.canaryTrafficPercent.trim()),
  };
  if (values.runtime) {
    request.runtime = values.runtime;
  }
  if (Object.keys(resources).length > 0) {
    request.resources = resources;
  }
  if (values.minReplicas.trim()) {
    request.minReplicas = Number(values.minReplicas.trim());
  }
  if (values.maxReplicas.trim()) {
    request.maxReplicas = Number(values.maxReplicas.trim());
  }
  return request;
}

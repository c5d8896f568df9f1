import type { DeployRuntime } from '@mlstack/plugin-mlops-common';
import { InputError } from '@backstage/errors';
import { parse as parseYaml } from 'yaml';

/**
 * The ClusterServingRuntimes a deploy fills in, as KServe v0.20 installs them: the scikit-learn
 * server for MLflow's `sklearn` flavor, MLServer with its MLflow runtime for any `pyfunc`
 * (`python_function`) model. Both speak the Open Inference (V2) protocol.
 *
 * @public
 */
export const DEPLOY_RUNTIMES: readonly DeployRuntime[] = [
  {
    name: 'kserve-sklearnserver',
    modelFormat: 'sklearn',
    protocolVersion: 'v2',
    flavors: ['sklearn'],
  },
  {
    name: 'kserve-mlserver',
    modelFormat: 'mlflow',
    protocolVersion: 'v2',
    flavors: ['python_function'],
  },
];

/** The flavors an `MLmodel` file declares (its `flavors` keys); InputError if it has none. */
export function readMlmodelFlavors(text: string, where: string): string[] {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new InputError(
      `${where} is not a readable MLmodel file: ${(error as Error).message}`,
    );
  }
  const flavors = (parsed as { flavors?: unknown } | null)?.flavors;
  if (!flavors || typeof flavors !== 'object' || Array.isArray(flavors)) {
    throw new InputError(`${where} declares no flavors`);
  }
  return Object.keys(flavors).sort();
}

/**
 * The runtime for a model: the one named (it must serve one of the model's flavors), else
 * scikit-learn's for an `sklearn` model, else MLServer's for a `python_function` one.
 * `flavors` undefined means the MLmodel file could not be read (files outside MLflow's
 * artifact proxy): then a runtime must be named, and is taken as it is.
 */
export function chooseRuntime(
  flavors: string[] | undefined,
  requested?: string,
): DeployRuntime {
  if (flavors === undefined) {
    const named = requested && DEPLOY_RUNTIMES.find(r => r.name === requested);
    if (!named) {
      throw new InputError(
        `the model's MLmodel file was not read (the portal reads it only through MLflow's artifact proxy, and this model's files are addressed directly), so its flavor is unknown; choose a runtime (${DEPLOY_RUNTIMES.map(
          r => r.name,
        ).join(', ')})`,
      );
    }
    return named;
  }
  if (requested) {
    const runtime = DEPLOY_RUNTIMES.find(r => r.name === requested);
    if (!runtime) {
      throw new InputError(
        `runtime '${requested}' is not one the portal deploys (${DEPLOY_RUNTIMES.map(
          r => r.name,
        ).join(', ')})`,
      );
    }
    if (!runtime.flavors.some(f => flavors.includes(f))) {
      throw new InputError(
        `runtime '${requested}' serves the ${runtime.flavors.join(
          ', ',
        )} flavor; the model has ${flavors.join(', ') || 'none'}`,
      );
    }
    return runtime;
  }
  const runtime = DEPLOY_RUNTIMES.find(r =>
    r.flavors.some(f => flavors.includes(f)),
  );
  if (!runtime) {
    throw new InputError(
      `no runtime serves the model's flavors (${
        flavors.join(', ') || 'none'
      }); the portal deploys ${DEPLOY_RUNTIMES.map(
        r => `${r.flavors.join('/')} models with ${r.name}`,
      ).join(' and ')}`,
    );
  }
  return runtime;
}

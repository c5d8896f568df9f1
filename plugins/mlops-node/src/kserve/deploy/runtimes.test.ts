import { InputError } from '@backstage/errors';
import { DEPLOY_RUNTIMES, chooseRuntime, readMlmodelFlavors } from './runtimes';

const sklearnServer = DEPLOY_RUNTIMES.find(
  r => r.name === 'kserve-sklearnserver',
)!;
const mlserver = DEPLOY_RUNTIMES.find(r => r.name === 'kserve-mlserver')!;

/** The MLmodel file MLflow 3.17 writes for `mlflow.sklearn.log_model` (from the harness seed). */
const SKLEARN_MLMODEL = `artifact_path: mlflow-artifacts:/110/models/m-738b225b3fcf4b759876c6260aac6dd5/artifacts
flavors:
  python_function:
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.11.7
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.9.1
mlflow_version: 3.17.2
model_id: m-738b225b3fcf4b759876c6260aac6dd5
`;

const PYFUNC_MLMODEL = `flavors:
  python_function:
    loader_module: mlflow.pyfunc.model
    python_model: python_model.pkl
mlflow_version: 3.17.2
`;

describe('DEPLOY_RUNTIMES', () => {
  it('serves sklearn with the scikit-learn server and pyfunc with MLServer, both over V2', () => {
    expect(DEPLOY_RUNTIMES).toEqual([
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
    ]);
  });
});

describe('readMlmodelFlavors', () => {
  it('reads the flavor names of an MLmodel file, sorted', () => {
    expect(readMlmodelFlavors(SKLEARN_MLMODEL, 'm/MLmodel')).toEqual([
      'python_function',
      'sklearn',
    ]);
    expect(readMlmodelFlavors(PYFUNC_MLMODEL, 'm/MLmodel')).toEqual([
      'python_function',
    ]);
  });

  it('refuses a file without flavors, naming where it was read', () => {
    expect(() =>
      readMlmodelFlavors('mlflow_version: 3.17.2\n', 'runs:/1/MLmodel'),
    ).toThrow(new InputError('runs:/1/MLmodel declares no flavors'));
    expect(() => readMlmodelFlavors('', 'x/MLmodel')).toThrow(
      'x/MLmodel declares no flavors',
    );
    expect(() =>
      readMlmodelFlavors('flavors:\n  - sklearn\n', 'x/MLmodel'),
    ).toThrow('x/MLmodel declares no flavors');
    expect(() => readMlmodelFlavors('flavors: sklearn\n', 'x/MLmodel')).toThrow(
      InputError,
    );
  });

  it('refuses text that is not YAML', () => {
    expect(() => readMlmodelFlavors('flavors: [unclosed', 'x/MLmodel')).toThrow(
      /^x\/MLmodel is not a readable MLmodel file: /,
    );
    expect(() => readMlmodelFlavors('a: 1\n a: 2\n\t- :', 'x/MLmodel')).toThrow(
      InputError,
    );
  });
});

describe('chooseRuntime', () => {
  it('takes the scikit-learn server for an sklearn model, even one that is also a pyfunc', () => {
    expect(chooseRuntime(['python_function', 'sklearn'])).toBe(sklearnServer);
    expect(chooseRuntime(['sklearn'])).toBe(sklearnServer);
  });

  it('takes MLServer for a python_function-only model', () => {
    expect(chooseRuntime(['python_function'])).toBe(mlserver);
    expect(chooseRuntime(['python_function', 'transformers'])).toBe(mlserver);
  });

  it('takes a requested runtime that serves one of the flavors', () => {
    expect(
      chooseRuntime(['python_function', 'sklearn'], 'kserve-mlserver'),
    ).toBe(mlserver);
    expect(chooseRuntime(['sklearn'], 'kserve-sklearnserver')).toBe(
      sklearnServer,
    );
  });

  it('refuses a requested runtime that does not serve the flavor', () => {
    expect(() =>
      chooseRuntime(['python_function'], 'kserve-sklearnserver'),
    ).toThrow(
      new InputError(
        "runtime 'kserve-sklearnserver' serves the sklearn flavor; the model has python_function",
      ),
    );
    expect(() => chooseRuntime(['sklearn'], 'kserve-mlserver')).toThrow(
      InputError,
    );
    expect(() => chooseRuntime([], 'kserve-mlserver')).toThrow(
      "runtime 'kserve-mlserver' serves the python_function flavor; the model has none",
    );
  });

  it('refuses a runtime the portal does not deploy', () => {
    expect(() => chooseRuntime(['sklearn'], 'kserve-tritonserver')).toThrow(
      "runtime 'kserve-tritonserver' is not one the portal deploys (kserve-sklearnserver, kserve-mlserver)",
    );
  });

  it('refuses a model no runtime serves', () => {
    expect(() => chooseRuntime(['pytorch'])).toThrow(
      new InputError(
        "no runtime serves the model's flavors (pytorch); the portal deploys sklearn models with kserve-sklearnserver and python_function models with kserve-mlserver",
      ),
    );
    expect(() => chooseRuntime([])).toThrow(/flavors \(none\)/);
  });

  it('needs a named runtime when the flavors are unknown, and takes it as it is', () => {
    expect(() => chooseRuntime(undefined)).toThrow(InputError);
    expect(() => chooseRuntime(undefined)).toThrow(
      /flavor is unknown; choose a runtime \(kserve-sklearnserver, kserve-mlserver\)/,
    );
    expect(() => chooseRuntime(undefined, 'kserve-tritonserver')).toThrow(
      /flavor is unknown/,
    );
    expect(chooseRuntime(undefined, 'kserve-mlserver')).toBe(mlserver);
    expect(chooseRuntime(undefined, 'kserve-sklearnserver')).toBe(
      sklearnServer,
    );
  });
});

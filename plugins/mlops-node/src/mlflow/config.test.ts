import { ConfigReader } from '@backstage/config';
import { readMlflowConfig } from './config';

type ConfigData = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

function read(mlflow: ConfigData) {
  return readMlflowConfig(new ConfigReader({ mlops: { mlflow } }));
}

describe('readMlflowConfig', () => {
  it('gives one local instance named default without any config', () => {
    expect(readMlflowConfig(new ConfigReader({}))).toEqual({
      defaultInstance: 'default',
      timeoutMs: 10000,
      instances: [
        {
          name: 'default',
          baseUrl: 'http://localhost:5000',
          uiUrl: 'http://localhost:5000',
        },
      ],
    });
  });

  it('reads instances, credentials, the default and the timeout', () => {
    expect(
      read({
        defaultInstance: 'research',
        timeoutMs: 2500,
        instances: [
          {
            name: 'prod',
            baseUrl: 'https://mlflow.internal.example.com/',
            uiUrl: 'https://mlflow.example.com/',
            token: 'tok',
          },
          {
            name: 'research',
            baseUrl: 'http://mlflow.research:5000',
            username: 'alice',
            password: 'secret',
          },
        ],
      }),
    ).toEqual({
      defaultInstance: 'research',
      timeoutMs: 2500,
      instances: [
        {
          name: 'prod',
          baseUrl: 'https://mlflow.internal.example.com',
          uiUrl: 'https://mlflow.example.com',
          credentials: { token: 'tok' },
        },
        {
          name: 'research',
          baseUrl: 'http://mlflow.research:5000',
          uiUrl: 'http://mlflow.research:5000',
          credentials: { username: 'alice', password: 'secret' },
        },
      ],
    });
  });

  it('defaults to the first instance', () => {
    expect(
      read({
        instances: [
          { name: 'b', baseUrl: 'http://b' },
          { name: 'a', baseUrl: 'http://a' },
        ],
      }).defaultInstance,
    ).toBe('b');
  });

  it.each([
    [
      'a baseUrl that is not a URL',
      { instances: [{ name: 'a', baseUrl: 'mlflow:5000' }] },
      "Invalid config at 'mlops.mlflow.instances[0].baseUrl': 'mlflow:5000' must be an http:// or https:// URL",
    ],
    [
      'a uiUrl that does not parse',
      { instances: [{ name: 'a', baseUrl: 'http://a', uiUrl: 'not a url' }] },
      "Invalid config at 'mlops.mlflow.instances[0].uiUrl': 'not a url' is not a valid URL",
    ],
    [
      'credentials in the URL',
      { instances: [{ name: 'a', baseUrl: 'http://bob:pw@a' }] },
      "Invalid config at 'mlops.mlflow.instances[0].baseUrl': the URL must not carry credentials; use token or username/password instead",
    ],
    [
      'duplicate names',
      {
        instances: [
          { name: 'a', baseUrl: 'http://a' },
          { name: 'b', baseUrl: 'http://b' },
          { name: 'a', baseUrl: 'http://c' },
        ],
      },
      "Invalid config at 'mlops.mlflow.instances[2].name': the name 'a' is already used by mlops.mlflow.instances[0]",
    ],
    [
      'a token and a password',
      {
        instances: [
          {
            name: 'a',
            baseUrl: 'http://a',
            token: 't',
            username: 'u',
            password: 'p',
          },
        ],
      },
      "Invalid config at 'mlops.mlflow.instances[0]': set either token (bearer auth) or username and password (basic auth), not both",
    ],
    [
      'a username without a password',
      { instances: [{ name: 'a', baseUrl: 'http://a', username: 'u' }] },
      "Invalid config at 'mlops.mlflow.instances[0].password': basic auth needs both username and password",
    ],
    [
      'a defaultInstance that is not configured',
      {
        defaultInstance: 'staging',
        instances: [
          { name: 'prod', baseUrl: 'http://a' },
          { name: 'research', baseUrl: 'http://b' },
        ],
      },
      "Invalid config at 'mlops.mlflow.defaultInstance': 'staging' is not one of the configured instances (prod, research)",
    ],
    [
      'a defaultInstance other than default without instances',
      { defaultInstance: 'prod' },
      "Invalid config at 'mlops.mlflow.defaultInstance': 'prod' is not one of the configured instances (default)",
    ],
    [
      'an empty instance list',
      { instances: [] },
      "Invalid config at 'mlops.mlflow.instances': list at least one instance, or leave mlops.mlflow.instances out to use http://localhost:5000",
    ],
    [
      'a name with spaces',
      { instances: [{ name: 'my mlflow', baseUrl: 'http://a' }] },
      "Invalid config at 'mlops.mlflow.instances[0].name': 'my mlflow' must start with a letter or digit and contain only letters, digits, '.', '_' and '-'",
    ],
    [
      'a timeout that is not positive',
      { timeoutMs: 0 },
      "Invalid config at 'mlops.mlflow.timeoutMs': 0 must be a positive whole number of milliseconds",
    ],
  ])('rejects %s, naming the key', (_label, mlflow, message) => {
    expect(() => read(mlflow)).toThrow(message);
  });

  it('names the key of a missing baseUrl', () => {
    expect(() => read({ instances: [{ name: 'a' }] })).toThrow(
      "Missing required config value at 'mlops.mlflow.instances[0].baseUrl'",
    );
  });

  it('never repeats a secret in its errors', () => {
    const errors = [
      {
        instances: [
          {
            name: 'a',
            baseUrl: 'http://a',
            token: 'SECRET',
            password: 'SECRET',
          },
        ],
      },
      { instances: [{ name: 'a', baseUrl: 'http://bob:SECRET@a' }] },
      { instances: [{ name: 'a', baseUrl: 'http://a', password: 'SECRET' }] },
    ].map(mlflow => {
      try {
        read(mlflow);
        return 'no error';
      } catch (error) {
        return String(error);
      }
    });
    expect(errors).toEqual([
      expect.stringContaining('not both'),
      expect.stringContaining('must not carry credentials'),
      expect.stringContaining('needs both username and password'),
    ]);
    errors.forEach(message => expect(message).not.toContain('SECRET'));
  });
});

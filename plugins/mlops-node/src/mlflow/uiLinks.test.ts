import { MlflowUiLinks } from './uiLinks';

describe('MlflowUiLinks', () => {
  const links = new MlflowUiLinks('https://mlflow.example.com/ui/');

  it('links experiments, runs and logged models by id under the hash router', () => {
    expect(links.experiment('12')).toBe(
      'https://mlflow.example.com/ui/#/experiments/12',
    );
    expect(links.run('12', 'abc123')).toBe(
      'https://mlflow.example.com/ui/#/experiments/12/runs/abc123',
    );
    expect(links.runById('abc123')).toBe(
      'https://mlflow.example.com/ui/#/runs/abc123',
    );
    expect(links.loggedModel('12', 'm-42')).toBe(
      'https://mlflow.example.com/ui/#/experiments/12/models/m-42',
    );
  });

  it('encodes registered model names', () => {
    expect(links.registeredModel('fraud detector/v2')).toBe(
      'https://mlflow.example.com/ui/#/models/fraud%20detector%2Fv2',
    );
    expect(links.modelVersion('fraud detector', '3')).toBe(
      'https://mlflow.example.com/ui/#/models/fraud%20detector/versions/3',
    );
  });

  it('drops trailing slashes from the base URL', () => {
    expect(new MlflowUiLinks('http://localhost:5000///').baseUrl).toBe(
      'http://localhost:5000',
    );
  });
});

import { EntityNamer, slugify } from './entityNamer';

const VALID_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe('EntityNamer', () => {
  it('slugs instance and model name into a valid entity name', () => {
    const namer = new EntityNamer('ml-model');
    expect(
      namer.name('main\0Fraud_Detector.v2', ['main', 'Fraud_Detector.v2']),
    ).toBe('main-fraud-detector-v2');
    expect(slugify('--Ünïcode  model--')).toBe('n-code-model');
  });

  it('gives a second key whose slug is taken a hashed name, and each key the same name again', () => {
    const namer = new EntityNamer('ml-model');
    const first = namer.name('main\0fraud_detector', [
      'main',
      'fraud_detector',
    ]);
    const second = namer.name('main\0fraud.detector', [
      'main',
      'fraud.detector',
    ]);
    expect(first).toBe('main-fraud-detector');
    expect(second).toMatch(/^main-fraud-detector-[0-9a-f]{8}$/);
    expect(namer.name('main\0fraud.detector', ['main', 'fraud.detector'])).toBe(
      second,
    );
  });

  it('cuts long names to 63 characters with a hash, distinct for distinct keys', () => {
    const namer = new EntityNamer('ml-model');
    const long = 'a'.repeat(80);
    const one = namer.name(`main\0${long}1`, ['main', `${long}1`]);
    const two = namer.name(`main\0${long}2`, ['main', `${long}2`]);
    for (const name of [one, two]) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(VALID_NAME);
    }
    expect(one).not.toBe(two);
  });

  it('falls back when nothing of the name is left', () => {
    expect(new EntityNamer('ml-model').name('k', ['日本', '模型'])).toBe(
      'ml-model',
    );
  });
});

/**
 * templates/deploy-model/template.yaml: it loads, its form is a sound JSON Schema (types,
 * required fields that exist, defaults that pass their own rules), and every step names an
 * action this portal has with input keys that action accepts.
 */
import { ConfigReader } from '@backstage/config';
import {
  KubernetesClusters,
  MlflowInstances,
  NamespaceOwnershipConfig,
} from '@mlstack/plugin-mlops-node';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { fakePermissions, recordingAuditor } from './__testUtils__/auditor';
import { testInitiator } from './__testUtils__/initiator';
import { createKserveDeployAction } from './actions';

const TEMPLATE = path.resolve(
  __dirname,
  '../../../templates/deploy-model/template.yaml',
);

const kserveDeploy = createKserveDeployAction({
  clusters: () => KubernetesClusters.fromConfig(new ConfigReader({})),
  mlflow: MlflowInstances.fromConfig(new ConfigReader({})),
  targets: [],
  ownership: new NamespaceOwnershipConfig([]),
  strictOwnership: false,
  initiator: testInitiator(),
  permissions: fakePermissions(),
  auditor: recordingAuditor(),
});

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  [key: string]: unknown;
};

/**
 * The input schemas of the actions the template uses: this module's from the action itself,
 * and the scaffolder's built-in ones (catalog:fetch, debug:log) as @backstage/plugin-scaffolder-backend
 * declares them.
 */
const ACTION_INPUTS: Record<string, JsonSchema> = {
  [kserveDeploy.id]: kserveDeploy.schema!.input as JsonSchema,
  'catalog:fetch': {
    type: 'object',
    properties: Object.fromEntries(
      [
        'entityRef',
        'entityRefs',
        'optional',
        'defaultKind',
        'defaultNamespace',
      ].map(k => [k, {}]),
    ),
  },
  'debug:log': {
    type: 'object',
    properties: Object.fromEntries(
      ['message', 'listWorkspace', 'extra'].map(k => [k, {}]),
    ),
  },
};

const template = yaml.parse(fs.readFileSync(TEMPLATE, 'utf8'));
const pages: Array<
  JsonSchema & { dependencies?: Record<string, { oneOf: JsonSchema[] }> }
> = template.spec.parameters;

/** Every field of the form, the dependent ones (oneOf branches) included. */
function formFields(): Map<string, JsonSchema> {
  const fields = new Map<string, JsonSchema>();
  for (const page of pages) {
    for (const [name, field] of Object.entries(page.properties ?? {})) {
      fields.set(name, field);
    }
    for (const dependency of Object.values(page.dependencies ?? {})) {
      for (const branch of dependency.oneOf) {
        for (const [name, field] of Object.entries(branch.properties ?? {})) {
          if (!fields.has(name)) fields.set(name, field);
        }
      }
    }
  }
  return fields;
}

/** Why `value` breaks the field's own rules (type, enum, pattern, bounds); undefined if it does not. */
function valueProblem(field: JsonSchema, value: unknown): string | undefined {
  if (field.type === 'integer' && !Number.isInteger(value))
    return 'not an integer';
  if (field.type === 'string' && typeof value !== 'string')
    return 'not a string';
  if (Array.isArray(field.enum) && !field.enum.includes(value))
    return 'not in enum';
  if (
    typeof field.pattern === 'string' &&
    !new RegExp(field.pattern).test(String(value))
  )
    return `does not match ${field.pattern}`;
  if (
    typeof field.maxLength === 'number' &&
    String(value).length > field.maxLength
  )
    return 'too long';
  if (typeof field.minimum === 'number' && (value as number) < field.minimum)
    return 'too small';
  if (typeof field.maximum === 'number' && (value as number) > field.maximum)
    return 'too large';
  return undefined;
}

describe('templates/deploy-model', () => {
  it('is a v1beta3 Template with a README next to it', () => {
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.kind).toBe('Template');
    expect(template.metadata.name).toBe('deploy-model');
    expect(fs.existsSync(path.join(path.dirname(TEMPLATE), 'README.md'))).toBe(
      true,
    );
  });

  it('has a sound form: typed fields, required fields that exist, defaults that pass their rules', () => {
    const types = ['string', 'integer', 'number', 'boolean', 'array', 'object'];
    for (const page of pages) {
      expect(typeof page.title).toBe('string');
      const names = Object.keys(page.properties ?? {});
      for (const name of page.required ?? []) {
        expect(names).toContain(name);
      }
      for (const dependency of Object.values(page.dependencies ?? {})) {
        for (const branch of dependency.oneOf) {
          for (const name of branch.required ?? []) {
            expect(Object.keys(branch.properties ?? {})).toContain(name);
          }
        }
      }
    }
    const problems: string[] = [];
    for (const [name, field] of formFields()) {
      if (field.const !== undefined) continue; // a oneOf selector
      if (!types.includes(field.type!)) {
        problems.push(`${name}: type ${field.type}`);
      }
      if (typeof field.pattern === 'string') {
        try {
          new RegExp(field.pattern); // eslint-disable-line no-new
        } catch (error) {
          problems.push(`${name}: pattern ${String(error)}`);
        }
      }
      const defaultProblem =
        field.default === undefined
          ? undefined
          : valueProblem(field, field.default);
      if (defaultProblem) {
        problems.push(`${name}: default ${defaultProblem}`);
      }
      if (
        Array.isArray(field.enumNames) &&
        field.enumNames.length !== (field.enum as unknown[]).length
      ) {
        problems.push(`${name}: enumNames and enum differ in length`);
      }
    }
    expect(problems).toEqual([]);
    expect(formFields().size).toBeGreaterThan(10);
  });

  it('picks only ML projects (Components of type ml-project, as the ml-project template makes them)', () => {
    const picker = pages[0].properties!.entityRef;
    expect(picker['ui:field']).toBe('EntityPicker');
    expect((picker['ui:options'] as any).catalogFilter).toEqual({
      kind: 'Component',
      'spec.type': 'ml-project',
    });
    const skeleton = fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../templates/ml-project/skeleton/catalog-info.yaml',
      ),
      'utf8',
    );
    expect(skeleton).toMatch(/kind: Component/);
    expect(skeleton).toMatch(/type: ml-project/);
  });

  it('refers only to parameters of the form and to earlier steps', () => {
    const text = fs.readFileSync(TEMPLATE, 'utf8');
    const fields = formFields();
    for (const [, name] of text.matchAll(/parameters\.([A-Za-z0-9_]+)/g)) {
      expect([name, fields.has(name)]).toEqual([name, true]);
    }
    const ids: string[] = template.spec.steps.map((s: { id: string }) => s.id);
    const steps = JSON.stringify(template.spec.steps);
    for (const [, id] of steps.matchAll(/steps\.([A-Za-z0-9_]+)\./g)) {
      expect(ids).toContain(id);
    }
  });

  it.each(
    (
      template.spec.steps as Array<{
        id: string;
        action: string;
        input: object;
      }>
    ).map(s => [s.id, s] as const),
  )('step %s uses a known action with input keys it accepts', (_id, step) => {
    const schema = ACTION_INPUTS[step.action];
    expect(Object.keys(ACTION_INPUTS)).toContain(step.action);
    const check = (
      given: Record<string, unknown>,
      accepted: JsonSchema,
      at: string,
    ) => {
      const keys = Object.keys(accepted.properties ?? {});
      for (const key of Object.keys(given)) {
        expect([`${at}${key}`, keys.includes(key)]).toEqual([
          `${at}${key}`,
          true,
        ]);
        const value = given[key];
        const sub = accepted.properties![key];
        if (
          value &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          sub?.properties
        ) {
          check(value as Record<string, unknown>, sub, `${at}${key}.`);
        }
      }
      for (const key of accepted.required ?? []) {
        expect([`${at}${key}`, key in given]).toEqual([`${at}${key}`, true]);
      }
    };
    check(step.input as Record<string, unknown>, schema, '');
  });

  it('deploys with mlops:kserve:deploy, owner from the catalog entity, then summarises', () => {
    const [fetch, deploy, summary] = template.spec.steps;
    expect(fetch.action).toBe('catalog:fetch');
    expect(deploy.action).toBe('mlops:kserve:deploy');
    expect(deploy.input.owner).toBe(
      '${{ steps.project.output.entity.spec.owner }}',
    );
    expect(summary.action).toBe('debug:log');
  });

  it('is registered in the catalog next to the ml-project template', () => {
    for (const file of ['app-config.yaml', 'app-config.production.yaml']) {
      const config = yaml.parse(
        fs.readFileSync(path.resolve(__dirname, '../../..', file), 'utf8'),
      );
      const targets = config.catalog.locations.map(
        (l: { target: string }) => l.target,
      );
      expect([file, targets]).toEqual([
        file,
        expect.arrayContaining([
          '../../templates/ml-project/template.yaml',
          '../../templates/deploy-model/template.yaml',
        ]),
      ]);
    }
  });
});

/*
 * deploy/minikube: every manifest this repository authors is rendered (kubectl kustomize)
 * and applied with a server-side dry-run to the harness API server, which has the Argo
 * Workflows and KServe CRDs, so custom resources are checked against their real schemas
 * (strict field validation: an unknown field fails). Upstream release manifests are not
 * downloaded: install.sh fetches those on the user's machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { targetPaths } from '@backstage/cli-common';
import { loadUpstreamFixtures } from '../upstreamFixtures';
import {
  DEPLOY_DIR,
  KubeObject,
  STACK_NAMESPACES,
  UPSTREAM_NAMESPACES,
  deployFiles,
  deployPath,
  ensureStackNamespaces,
  kubectl,
  kubectlOk,
  kustomizationDirs,
  kustomize,
  parseDocuments,
} from './kubectl';

jest.setTimeout(120_000);

// --force-conflicts: the RBAC test applies some of these objects for real (field manager
// kubectl), possibly from an older version of a file; the dry-run must not trip over that.
const DRY_RUN = [
  'apply',
  '--server-side',
  '--force-conflicts',
  '--dry-run=server',
  '--field-manager',
  'mlstack-deploy-test',
  '-f',
  '-',
];

/** The Secrets install.sh creates, per namespace (install-secrets.integration.test.ts). */
const SECRETS_BY_NAMESPACE: Record<string, string[]> = {
  minio: ['minio-root', 'mlstack-s3'],
  mlflow: ['mlstack-s3'],
  'ml-projects': ['mlstack-s3'],
};

function readVersions(): Record<string, string> {
  const text = fs.readFileSync(deployPath('versions.env'), 'utf8');
  const versions: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(\S+)$/.exec(line.trim());
    if (m) {
      versions[m[1]] = m[2];
    }
  }
  return versions;
}

/** Every value under a key named `key`, anywhere in a JSON-like value. */
function collect(value: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    value.forEach(v => collect(v, key, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key) {
        out.push(v);
      }
      collect(v, key, out);
    }
  }
  return out;
}

const objectKey = (o: KubeObject) =>
  `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe('deploy/minikube manifests', () => {
  const dirs = kustomizationDirs();
  const rendered = new Map<string, KubeObject[]>();

  const render = async (dir: string): Promise<KubeObject[]> => {
    if (!rendered.has(dir)) {
      rendered.set(
        dir,
        parseDocuments(await kustomize(deployPath(dir)), `kustomize ${dir}`),
      );
    }
    return rendered.get(dir)!;
  };
  /** base/ and pipelines/: everything install.sh applies from this folder. */
  const allObjects = async () => [
    ...(await render('base')),
    ...(await render('pipelines')),
  ];
  const workflowTemplate = async () => {
    const wt = (await render('pipelines')).find(
      o => o.kind === 'WorkflowTemplate',
    );
    expect(wt?.metadata?.name).toBe('fraud-detector-train');
    return wt!;
  };

  beforeAll(async () => {
    // Namespaced dry-runs need their namespace to exist; the harness is a throwaway server.
    await ensureStackNamespaces();
  });

  it('has the kustomizations install.sh applies', () => {
    expect(dirs).toEqual(
      expect.arrayContaining([
        'base',
        'base/namespaces',
        'base/minio',
        'base/mlflow',
        'base/ml-projects',
        'base/portal',
        'pipelines',
      ]),
    );
    const script = fs.readFileSync(deployPath('install.sh'), 'utf8');
    expect(script).toMatch(/apply --server-side .*-k "\$HERE\/base"/);
    expect(script).toMatch(/apply --server-side .*-k "\$HERE\/pipelines"/);
  });

  it.each(dirs)('%s renders and passes a server-side dry-run', async dir => {
    const objects = await render(dir);
    expect(objects.length).toBeGreaterThan(0);
    const res = await kubectl(DRY_RUN, await kustomize(deployPath(dir)));
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(objects.length);
    for (const line of lines) {
      expect(line).toMatch(/ serverside-applied \(server dry run\)$/);
    }
  });

  it('renders every manifest file of the folder through a kustomization', async () => {
    const renderedKeys = new Set<string>();
    for (const dir of dirs) {
      (await render(dir)).forEach(o => renderedKeys.add(objectKey(o)));
    }
    const missing: string[] = [];
    for (const file of deployFiles('.yaml')) {
      if (
        path.basename(file) === 'kustomization.yaml' ||
        file === path.join('pipelines', 'fraud-detector', 'run.yaml')
      ) {
        continue;
      }
      const docs = parseDocuments(
        fs.readFileSync(path.join(DEPLOY_DIR, file), 'utf8'),
        file,
      ).filter(d => d.apiVersion && d.kind);
      for (const doc of docs) {
        if (!renderedKeys.has(objectKey(doc))) {
          missing.push(`${file}: ${objectKey(doc)}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('accepts the example run (a Workflow from the WorkflowTemplate)', async () => {
    const run = fs.readFileSync(
      deployPath('pipelines', 'fraud-detector', 'run.yaml'),
      'utf8',
    );
    const out = await kubectlOk(['create', '--dry-run=server', '-f', '-'], run);
    expect(out).toMatch(
      /^workflow\.argoproj\.io\/fraud-detector-train-\S+ created \(server dry run\)/,
    );
    const [workflow] = parseDocuments(run);
    expect(workflow.spec.workflowTemplateRef.name).toBe(
      (await workflowTemplate()).metadata.name,
    );
  });

  it('is the pipeline the example entity shows: its template name, its runs and service match catalog-info.yaml', async () => {
    const [entity] = parseDocuments(
      fs.readFileSync(targetPaths.resolveRoot('catalog-info.yaml'), 'utf8'),
    ).filter(doc => doc.metadata?.name === 'fraud-detector');
    const annotations = entity.metadata.annotations as Record<string, string>;
    const wt = await workflowTemplate();
    expect(wt.metadata.name).toBe(
      annotations['mlstack.io/argo-workflow-template'],
    );
    const [key, value] =
      annotations['argoworkflows.argoproj.io/workflow-selector'].split('=');
    // Runs submitted from the template (the portal, `argo submit --from`) and the example run.
    expect(wt.spec.workflowMetadata.labels[key]).toBe(value);
    const [run] = parseDocuments(
      fs.readFileSync(
        deployPath('pipelines', 'fraud-detector', 'run.yaml'),
        'utf8',
      ),
    );
    expect(run.metadata.labels[key]).toBe(value);
    const modelName = wt.spec.arguments.parameters.find(
      (p: { name: string }) => p.name === 'model-name',
    ).value;
    expect(modelName).toBe(annotations['mlstack.io/kserve-inference-service']);
  });

  it("accepts the deploy step's InferenceService against the KServe CRD", async () => {
    const wt = await workflowTemplate();
    const deploy = wt.spec.templates.find((t: any) => t.name === 'deploy');
    const defaults: Record<string, string> = Object.fromEntries(
      wt.spec.arguments.parameters.map((p: any) => [p.name, p.value]),
    );
    const inputs: Record<string, string> = {
      'storage-uri': 's3://mlflow-artifacts/1/0123abcd/artifacts/model',
      'run-id': '0123abcd',
      'model-version': '3',
    };
    const manifest = String(deploy.resource.manifest)
      .replace(/\{\{workflow\.parameters\.([\w-]+)\}\}/g, (_, n) => defaults[n])
      .replace(/\{\{inputs\.parameters\.([\w-]+)\}\}/g, (_, n) => inputs[n]);
    expect(manifest).not.toContain('{{');
    const [isvc] = parseDocuments(manifest);
    isvc.metadata.namespace = 'ml-projects';
    const out = await kubectlOk(DRY_RUN, JSON.stringify(isvc));
    expect(out.trim()).toBe(
      'inferenceservice.serving.kserve.io/fraud-detector serverside-applied (server dry run)',
    );
    expect(isvc.spec.predictor.model.storageUri).toBe(inputs['storage-uri']);
    // The predictor's identity carries the MinIO credentials (base/ml-projects).
    const sa = (await render('base')).find(
      o =>
        o.kind === 'ServiceAccount' &&
        o.metadata.name === isvc.spec.predictor.serviceAccountName,
    );
    expect(sa?.metadata.namespace).toBe('ml-projects');
    expect(sa?.secrets).toEqual([{ name: 'mlstack-s3' }]);
  });

  it("writes the deploy step's wait conditions as valid selectors on KServe's status fields", async () => {
    const wt = await workflowTemplate();
    const { resource } = wt.spec.templates.find(
      (t: any) => t.name === 'deploy',
    );
    const [crd] = loadUpstreamFixtures(
      'kserve/crds/serving.kserve.io_inferenceservices.yaml',
    );
    const schema = crd.spec.versions.find((v: any) => v.name === 'v1beta1')
      .schema.openAPIV3Schema;
    for (const condition of [
      resource.successCondition,
      resource.failureCondition,
    ]) {
      // Argo parses them with Kubernetes' label-selector parser, as the API server does.
      await kubectlOk([
        'get',
        'configmaps',
        '-n',
        'ml-projects',
        '-l',
        condition,
      ]);
      const requirements = [
        ...String(condition).matchAll(
          /([\w.]+)\s*(?:==|=|!=)\s*(\w+)|([\w.]+)\s+(?:in|notin)\s+\(([^)]*)\)/g,
        ),
      ];
      expect(requirements.length).toBeGreaterThan(0);
      for (const m of requirements) {
        const fieldPath = m[1] ?? m[3];
        const values = m[2] ? [m[2]] : m[4].split(',').map(v => v.trim());
        const field = fieldPath
          .split('.')
          .reduce((node: any, part) => node?.properties?.[part], schema);
        expect({ fieldPath, known: Boolean(field) }).toEqual({
          fieldPath,
          known: true,
        });
        for (const value of values) {
          expect(field.enum).toContain(value);
        }
      }
    }
  });

  it('pins every image, and the pipeline runs the KServe version install.sh installs', async () => {
    const images = new Set(
      collect(await allObjects(), 'image').filter(
        (v): v is string => typeof v === 'string',
      ),
    );
    for (const image of images) {
      const m = /^([^@\s]+?)(?::([\w][\w.-]*))?(@sha256:[0-9a-f]{64})?$/.exec(
        image,
      );
      expect({ image, tagged: Boolean(m?.[2] || m?.[3]) }).toEqual({
        image,
        tagged: true,
      });
      expect(m?.[2]).not.toBe('latest');
    }
    const versions = readVersions();
    expect([...images].sort()).toEqual([
      `docker.io/kserve/sklearnserver:${versions.KSERVE_VERSION}`,
      'ghcr.io/mlflow/mlflow:v3.17.2-full',
      'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z',
      'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z',
    ]);
    // The MLflow server image is the version the harness tests against.
    const requirements = fs.readFileSync(
      targetPaths.resolveRoot('scripts', 'harness', 'requirements.txt'),
      'utf8',
    );
    expect(requirements).toContain('mlflow==3.17.2');
    expect(versions).toEqual({
      ARGO_WORKFLOWS_VERSION: 'v4.1.2',
      KSERVE_VERSION: 'v0.20.0',
      CERT_MANAGER_VERSION: expect.stringMatching(/^v\d+\.\d+\.\d+$/),
    });
  });

  it('keeps credentials out: no Secret objects, no literal secret values, only Secrets install.sh creates', async () => {
    const objects = await allObjects();
    expect(objects.filter(o => o.kind === 'Secret')).toEqual([]);
    const envVars = collect(objects, 'env').flat() as any[];
    const literal = envVars.filter(
      e =>
        /SECRET|PASSWORD|ACCESS_KEY|TOKEN/.test(e.name) &&
        e.value !== undefined,
    );
    expect(literal).toEqual([]);

    // Every reference to a Secret, with the namespace it is resolved in.
    const refs: string[] = [];
    for (const o of objects) {
      const ns = o.metadata.namespace ?? '';
      collect(o, 'secretKeyRef').forEach((r: any) =>
        refs.push(`${ns}/${r.name}`),
      );
      if (o.kind === 'ServiceAccount') {
        (o.secrets ?? []).forEach((s: any) => refs.push(`${ns}/${s.name}`));
      }
      if (
        o.kind === 'ConfigMap' &&
        o.metadata.name === 'artifact-repositories'
      ) {
        for (const [key, value] of Object.entries(o.data ?? {})) {
          if (key === 'minio-v1') {
            const [repo] = parseDocuments(String(value));
            refs.push(`${ns}/${repo.s3.accessKeySecret.name}`);
            refs.push(`${ns}/${repo.s3.secretKeySecret.name}`);
          }
        }
      }
    }
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      const [ns, name] = ref.split('/');
      expect({
        ref,
        created: SECRETS_BY_NAMESPACE[ns]?.includes(name),
      }).toEqual({
        ref,
        created: true,
      });
    }
  });

  it('spells each namespace one way everywhere', async () => {
    const objects = await render('base');
    expect(
      objects
        .filter(o => o.kind === 'Namespace')
        .map(o => o.metadata.name)
        .sort(),
    ).toEqual([...STACK_NAMESPACES].sort());
    const known = new Set<string>(STACK_NAMESPACES);
    const namespaced = (await allObjects()).filter(
      o => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind),
    );
    expect(
      namespaced
        .filter(o => !known.has(o.metadata.namespace ?? ''))
        .map(objectKey),
    ).toEqual([]);
    const subjects = (await allObjects()).flatMap(o => o.subjects ?? []);
    expect(subjects.length).toBeGreaterThan(0);
    expect(subjects.filter(s => !known.has(s.namespace))).toEqual([]);

    // In-cluster DNS names and spellings of the ML projects namespace, in every file of the
    // folder and in the portal's config.
    const texts = [
      ...deployFiles().map(f => path.join(DEPLOY_DIR, f)),
      targetPaths.resolveRoot('app-config.minikube.yaml'),
    ].map(f => [f, fs.readFileSync(f, 'utf8')] as const);
    const allNamespaces = new Set<string>([
      ...STACK_NAMESPACES,
      ...UPSTREAM_NAMESPACES,
    ]);
    let dnsNames = 0;
    for (const [file, text] of texts) {
      for (const m of text.matchAll(
        /\b[a-z0-9-]+\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?\b/g,
      )) {
        dnsNames++;
        expect({ file, name: m[0], known: allNamespaces.has(m[1]) }).toEqual({
          file,
          name: m[0],
          known: true,
        });
      }
      for (const m of text.matchAll(/\bml[-_ ]?projects?\b/g)) {
        expect({ file, spelling: m[0] }).toEqual({
          file,
          spelling: 'ml-projects',
        });
      }
    }
    expect(dnsNames).toBeGreaterThan(5);
  });

  it('grants no wildcard, and nothing cluster-wide but reading Namespace objects', async () => {
    const objects = await allObjects();
    // The one cluster-wide grant: the portal reads a namespace's mlstack.io/owner annotation.
    const bindings = objects.filter(o => o.kind === 'ClusterRoleBinding');
    expect(
      bindings.map(b => ({ role: b.roleRef.name, subjects: b.subjects })),
    ).toEqual([
      {
        role: 'mlstack-portal-namespace-reader',
        subjects: [
          {
            kind: 'ServiceAccount',
            name: 'mlstack-portal',
            namespace: 'mlstack-portal',
          },
        ],
      },
    ]);
    const reader = objects.find(
      o =>
        o.kind === 'ClusterRole' &&
        o.metadata.name === 'mlstack-portal-namespace-reader',
    );
    expect(reader?.rules).toEqual([
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
    ]);
    for (const o of objects.filter(x =>
      ['Role', 'ClusterRole'].includes(x.kind),
    )) {
      for (const rule of o.rules) {
        expect([
          ...rule.verbs,
          ...rule.resources,
          ...rule.apiGroups,
        ]).not.toContain('*');
      }
    }
  });
});

import { NamespaceOwnershipConfig } from '@mlstack/plugin-mlops-node';
import type { KubernetesCluster } from '@mlstack/plugin-mlops-node';
import { NamespaceOwnership } from './NamespaceOwnership';

const entity = (owner?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fraud-detector', namespace: 'default' },
  spec: owner ? { owner } : {},
});

function clusterWith(annotations: Record<string, Record<string, string>>) {
  const readNamespaceMetadata = jest.fn(async (name: string) =>
    annotations[name]
      ? { labels: {}, annotations: annotations[name] }
      : undefined,
  );
  return {
    cluster: {
      name: 'harness',
      readNamespaceMetadata,
    } as unknown as KubernetesCluster,
    readNamespaceMetadata,
  };
}

describe('NamespaceOwnership', () => {
  const none = new NamespaceOwnershipConfig([]);

  it('lets the owner named by the namespace annotation use it', async () => {
    const { cluster } = clusterWith({
      'ml-projects': { 'mlstack.io/owner': 'group:default/ml-team' },
    });
    const ownership = new NamespaceOwnership({ config: none });
    await expect(
      ownership.assertUsable(entity('ml-team'), cluster, 'ml-projects'),
    ).resolves.toBeUndefined();
  });

  it('refuses another owner, naming the namespace, the owner found and the owner expected', async () => {
    const { cluster } = clusterWith({
      'ml-projects': { 'mlstack.io/owner': 'group:default/ml-team' },
    });
    const ownership = new NamespaceOwnership({ config: none });
    await expect(
      ownership.assertUsable(entity('risk-team'), cluster, 'ml-projects'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "Namespace 'ml-projects' on cluster 'harness' is not usable by component:default/fraud-detector: its mlstack.io/owner annotation names group:default/ml-team, and the entity's owner is group:default/risk-team",
    });
  });

  it('answers a namespace without the annotation and a missing one with the same text', async () => {
    const { cluster } = clusterWith({ 'kube-system': {} });
    const ownership = new NamespaceOwnership({ config: none });
    const text = (ns: string) =>
      `Namespace '${ns}' on cluster 'harness' is not usable by component:default/fraud-detector: it has no mlstack.io/owner annotation and mlops.ownership.namespaces does not list it; expected owner group:default/ml-team`;
    await expect(
      ownership.assertUsable(entity('ml-team'), cluster, 'kube-system'),
    ).rejects.toThrow(text('kube-system'));
    await expect(
      ownership.assertUsable(entity('ml-team'), cluster, 'nowhere'),
    ).rejects.toThrow(text('nowhere'));
  });

  it('takes the owner from config first, without reading the namespace', async () => {
    const { cluster, readNamespaceMetadata } = clusterWith({
      legacy: { 'mlstack.io/owner': 'group:default/someone-else' },
    });
    const ownership = new NamespaceOwnership({
      config: new NamespaceOwnershipConfig([
        { owner: 'group:default/ml-team', namespaces: ['legacy'] },
      ]),
    });
    await expect(
      ownership.assertUsable(entity('ml-team'), cluster, 'legacy'),
    ).resolves.toBeUndefined();
    await expect(
      ownership.assertUsable(entity('risk-team'), cluster, 'legacy'),
    ).rejects.toThrow(
      "mlops.ownership.namespaces lists it for group:default/ml-team, and the entity's owner is group:default/risk-team",
    );
    expect(readNamespaceMetadata).not.toHaveBeenCalled();
  });

  it('refuses an entity without an owner', async () => {
    const { cluster } = clusterWith({});
    const ownership = new NamespaceOwnership({ config: none });
    await expect(
      ownership.assertUsable(entity(), cluster, 'ml-projects'),
    ).rejects.toThrow('the entity has no owner (spec.owner)');
  });

  it('keeps an owner for 30 s, then reads it again', async () => {
    let now = 0;
    const annotations = {
      'ml-projects': { 'mlstack.io/owner': 'group:default/ml-team' },
    };
    const { cluster, readNamespaceMetadata } = clusterWith(annotations);
    const ownership = new NamespaceOwnership({ config: none, now: () => now });
    await ownership.assertUsable(entity('ml-team'), cluster, 'ml-projects');
    await ownership.assertUsable(entity('ml-team'), cluster, 'ml-projects');
    expect(readNamespaceMetadata).toHaveBeenCalledTimes(1);
    annotations['ml-projects']['mlstack.io/owner'] = 'group:default/risk-team';
    now = 30_001;
    await expect(
      ownership.assertUsable(entity('ml-team'), cluster, 'ml-projects'),
    ).rejects.toThrow('names group:default/risk-team');
    expect(readNamespaceMetadata).toHaveBeenCalledTimes(2);
  });
});

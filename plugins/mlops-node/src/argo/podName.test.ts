import { argoPodName, fnv32a, podNameVersion } from './podName';

describe('fnv32a', () => {
  it('matches Go hash/fnv New32a (vectors of the Argo UI tests)', () => {
    expect(fnv32a('')).toBe(2166136261);
    expect(fnv32a('hello')).toBe(1335831723);
    expect(fnv32a('world')).toBe(933488787);
    expect(
      fnv32a('You cannot alter your fate. However, you can rise to meet it.'),
    ).toBe(827171719);
  });

  it('hashes the UTF-8 bytes of multibyte text', () => {
    expect(fnv32a('こんにちは')).toBe(486186189);
    expect(fnv32a('🚀✨🔥')).toBe(2133319838);
  });
});

describe('podNameVersion', () => {
  const key = 'workflows.argoproj.io/pod-name-format';
  it('is v1 only when the annotation says so, else the controller default v2', () => {
    expect(podNameVersion({ [key]: 'v1' })).toBe('v1');
    expect(podNameVersion({ [key]: 'v2' })).toBe('v2');
    expect(podNameVersion({ [key]: 'v3' })).toBe('v2');
    expect(podNameVersion({})).toBe('v2');
  });
});

describe('argoPodName', () => {
  const node = {
    id: 'wfname-1',
    name: 'nodename',
    templateName: 'templatename',
  };

  it('names v2 pods <workflow>-<template>-<fnv32a(node name)>', () => {
    expect(argoPodName('wfname', node, 'v2')).toBe(
      `wfname-templatename-${fnv32a('nodename')}`,
    );
  });

  it('uses the node id for v1 and when the workflow name is unknown', () => {
    expect(argoPodName('wfname', node, 'v1')).toBe('wfname-1');
    expect(argoPodName(undefined, node, 'v2')).toBe('wfname-1');
  });

  it('leaves the template out when there is none', () => {
    expect(argoPodName('wfname', { id: 'x', name: 'stp.inline' }, 'v2')).toBe(
      `wfname-${fnv32a('stp.inline')}`,
    );
  });

  it('is the workflow name for a single-pod workflow', () => {
    expect(
      argoPodName(
        'wfname',
        { id: 'wfname', name: 'wfname', templateName: 't' },
        'v2',
      ),
    ).toBe('wfname');
  });

  it('cuts the prefix to 242 characters, as Argo does (pod_name_v2_test.go)', () => {
    const longWorkflow =
      'alongworkflownamethatincludeslotsofdetailsandisessentiallyalargerunonsentencewithpoorstyleandnopunctuationtobehadwhatsoever';
    const longTemplate =
      'alongtemplatenamethatincludessliightlymoredetailsandiscertainlyalargerunonstnencewithevenworsestylisticconcernsandpreposterouslyeliminatespunctuation';
    const name = argoPodName(
      longWorkflow,
      { id: 'x', name: 'nodename', templateName: longTemplate },
      'v2',
    );
    expect(name).toBe(
      `${`${longWorkflow}-${longTemplate}`.slice(0, 242)}-${fnv32a(
        'nodename',
      )}`,
    );
    expect(name.length).toBeLessThanOrEqual(253);
  });

  it("names a Container node's pod after its pod node", () => {
    expect(
      argoPodName(
        'wf',
        {
          id: 'c',
          name: 'wf.main.gnuplot',
          type: 'Container',
          templateName: 'main',
        },
        'v2',
      ),
    ).toBe(`wf-main-${fnv32a('wf.main')}`);
  });
});

import { stepStatuses, templateDirectoryContents } from './dryRun';
import { upstreamFixturePath } from '../upstreamFixtures';
import fs from 'node:fs';
import path from 'node:path';

describe('the template dry run', () => {
  it('reports the last status of each step, and why a step was skipped', () => {
    expect(
      stepStatuses([
        { body: { stepId: 'fetch', status: 'processing' } },
        { body: { stepId: 'fetch', status: 'completed' } },
        {
          body: {
            stepId: 'publish',
            status: 'skipped',
            message: 'Skipping because publish:github does not support dry-run',
          },
        },
        {
          body: {
            stepId: 'gitlab',
            message:
              "Template action with ID 'publish:gitlab' is not registered.",
          },
        },
        { body: { message: 'a line of no step' } },
      ]),
    ).toEqual({
      fetch: 'completed',
      publish:
        'skipped: Skipping because publish:github does not support dry-run',
      gitlab:
        "skipped: Template action with ID 'publish:gitlab' is not registered.",
    });
  });

  it('sends every file of the folder, relative to it, as base64', async () => {
    const dir = upstreamFixturePath('kserve/examples');
    const files = await templateDirectoryContents(dir);
    // Every file below the folder, each once, by its path relative to the folder.
    const onDisk = fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter(entry => entry.isFile())
      .map(entry => path.relative(dir, path.join(entry.parentPath, entry.name)))
      .sort();
    expect(files.map(f => f.path).sort()).toEqual(onDisk);
    const status = files.find(
      f =>
        f.path === path.join('status', 'flower-sample-isvc-with-status.json'),
    );
    expect(
      JSON.parse(Buffer.from(status!.base64Content, 'base64').toString()).object
        .metadata.name,
    ).toBe('flower-sample');
  });
});

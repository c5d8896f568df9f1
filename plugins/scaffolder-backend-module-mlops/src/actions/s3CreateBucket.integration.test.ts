/**
 * Against the harness MinIO (scripts/harness/harness.sh up s3).
 */
import {
  GetBucketTaggingCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockCredentials } from '@backstage/backend-test-utils';
import { requireHarnessService } from '@internal/harness';
import { closedPort } from '../__testUtils__/closedPort';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import type { S3Settings } from '../lib/s3';
import { createS3CreateBucketAction } from './s3CreateBucket';

const harness = requireHarnessService('s3');
const settings: S3Settings = {
  endpoint: harness.endpoint,
  region: harness.region,
  accessKeyId: harness.accessKeyId,
  secretAccessKey: harness.secretAccessKey,
  forcePathStyle: true,
};
const client = new S3Client({
  endpoint: settings.endpoint,
  region: settings.region,
  forcePathStyle: true,
  credentials: {
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
  },
});
afterAll(() => client.destroy());

const action = createS3CreateBucketAction({
  s3: settings,
  initiator: testInitiator(),
});
const suffix = `${Date.now()}`;
const OWNER = 'group:default/ml-team';

async function exists(bucket: string): Promise<boolean> {
  return client
    .send(new HeadBucketCommand({ Bucket: bucket }))
    .then(() => true)
    .catch(error => {
      if (error.$metadata?.httpStatusCode === 404) {
        return false;
      }
      throw error;
    });
}

async function run(input: Record<string, unknown>, isDryRun = false) {
  const context = createActionContext({ input, isDryRun });
  await action.handler(context.ctx);
  return context;
}

describe('mlops:s3:create-bucket against MinIO', () => {
  it('creates and tags the bucket once; a re-run reuses it', async () => {
    const bucket = `mlops-it-${suffix}`;
    const first = await run({ bucket, owner: OWNER, prefix: 'models' });
    expect(first.outputs).toEqual({
      bucket,
      created: true,
      url: `s3://${bucket}/models`,
    });
    const { TagSet } = await client.send(
      new GetBucketTaggingCommand({ Bucket: bucket }),
    );
    expect(TagSet).toEqual([{ Key: 'mlstack.io/owner', Value: OWNER }]);

    const again = await run({ bucket, owner: 'Group:ML-Team' });
    expect(again.outputs).toMatchObject({ bucket, created: false });
    const log = [...first.logLines(), ...again.logLines()].join('\n');
    expect(log).not.toContain(settings.secretAccessKey);
  });

  it('dry run creates nothing', async () => {
    const bucket = `mlops-it-dry-${suffix}`;
    const { outputs } = await run({ bucket, owner: OWNER }, true);
    expect(outputs).toMatchObject({ bucket, created: true });
    expect(await exists(bucket)).toBe(false);
  });

  it('refuses a bucket tagged for another owner, and leaves its tags alone', async () => {
    const bucket = `mlops-it-other-${suffix}`;
    await run({ bucket, owner: 'group:default/other-team' });
    await expect(run({ bucket, owner: OWNER })).rejects.toThrow(
      `S3 bucket '${bucket}' at ${settings.endpoint} belongs to group:default/other-team (tag mlstack.io/owner), not to ${OWNER}`,
    );
    const { TagSet } = await client.send(
      new GetBucketTaggingCommand({ Bucket: bucket }),
    );
    expect(TagSet?.[0]?.Value).toBe('group:default/other-team');
  });

  it('reuses an untagged bucket made outside the scaffolder without tagging it', async () => {
    const { outputs } = await run({ bucket: 'dvc', owner: OWNER });
    expect(outputs).toMatchObject({ bucket: 'dvc', created: false });
    await expect(
      client.send(new GetBucketTaggingCommand({ Bucket: 'dvc' })),
    ).rejects.toMatchObject({ name: 'NoSuchTagSet' });
  });

  it('refuses a user who is not a member of the owner, creating nothing', async () => {
    const bucket = `mlops-it-not-mine-${suffix}`;
    const context = createActionContext({
      input: { bucket, owner: 'group:default/team-b' },
      credentials: mockCredentials.user('user:default/bob'),
    });
    await expect(action.handler(context.ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'User user:default/bob is not group:default/team-b nor a member of it',
      ),
    });
    expect(await exists(bucket)).toBe(false);
  });

  it('says the credentials are rejected, without showing them', async () => {
    const wrong = createS3CreateBucketAction({
      s3: { ...settings, secretAccessKey: 'not-the-secret' },
      initiator: testInitiator(),
    });
    const { ctx } = createActionContext({
      input: { bucket: `mlops-it-${suffix}`, owner: OWNER },
    });
    const error = await wrong.handler(ctx).catch(e => e);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toContain(
      `S3 at ${settings.endpoint}: check the credentials`,
    );
    expect(error.message).toContain('SignatureDoesNotMatch');
    expect(error.message).not.toContain('not-the-secret');
  });

  it('names the endpoint when S3 is down', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const down = createS3CreateBucketAction({
      s3: { ...settings, endpoint },
      initiator: testInitiator(),
    });
    const { ctx } = createActionContext({
      input: { bucket: `mlops-it-${suffix}`, owner: OWNER },
    });
    await expect(down.handler(ctx)).rejects.toThrow(
      `S3 at ${endpoint}: ECONNREFUSED (check bucket 'mlops-it-${suffix}')`,
    );
  });

  it('a tag written by someone else later makes the bucket theirs', async () => {
    const bucket = `mlops-it-retag-${suffix}`;
    await run({ bucket, owner: OWNER });
    await client.send(
      new PutBucketTaggingCommand({
        Bucket: bucket,
        Tagging: {
          TagSet: [{ Key: 'mlstack.io/owner', Value: 'user:default/jane' }],
        },
      }),
    );
    await expect(run({ bucket, owner: OWNER })).rejects.toThrow(
      'belongs to user:default/jane',
    );
  });
});

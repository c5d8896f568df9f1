import {
  mockCredentials,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import type { S3Settings } from '../lib/s3';
import { createS3CreateBucketAction } from './s3CreateBucket';

const server = setupServer();
registerMswTestHooks(server);

const s3: S3Settings = {
  endpoint: 'http://s3.test:9000',
  region: 'us-east-1',
  accessKeyId: 'AKIA-test-key',
  secretAccessKey: 'very-secret-value',
  forcePathStyle: true,
};
const BUCKET_URL = `${s3.endpoint}/ml-fraud/`;

function s3Error(code: string, status: number) {
  return new HttpResponse(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code} message</Message><BucketName>ml-fraud</BucketName></Error>`,
    { status, headers: { 'content-type': 'application/xml' } },
  );
}

function tagging(owner: string) {
  return new HttpResponse(
    `<?xml version="1.0" encoding="UTF-8"?><Tagging><TagSet><Tag><Key>mlstack.io/owner</Key><Value>${owner}</Value></Tag></TagSet></Tagging>`,
    { headers: { 'content-type': 'application/xml' } },
  );
}

/** A fake S3 bucket: records every request as `METHOD path?query`. */
function fakeBucket(state: {
  exists: boolean;
  owner?: string;
  head?: number;
  create?: Response;
}) {
  const requests: string[] = [];
  const bodies: string[] = [];
  const record = async (request: Request) => {
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    bodies.push(await request.clone().text());
  };
  server.use(
    http.head(BUCKET_URL, async ({ request }) => {
      await record(request);
      if (state.head) {
        return new HttpResponse(null, { status: state.head });
      }
      return new HttpResponse(null, { status: state.exists ? 200 : 404 });
    }),
    http.put(BUCKET_URL, async ({ request }) => {
      await record(request);
      if (new URL(request.url).searchParams.has('tagging')) {
        state.owner = /<Value>(.*)<\/Value>/.exec(
          bodies[bodies.length - 1],
        )?.[1];
        return new HttpResponse(null, { status: 204 });
      }
      if (state.create) {
        return state.create;
      }
      state.exists = true;
      return new HttpResponse(null, { status: 200 });
    }),
    http.get(BUCKET_URL, async ({ request }) => {
      await record(request);
      return state.owner ? tagging(state.owner) : s3Error('NoSuchTagSet', 404);
    }),
  );
  return { requests, state };
}

const action = createS3CreateBucketAction({
  s3,
  initiator: testInitiator(),
});

describe('mlops:s3:create-bucket', () => {
  it('creates a missing bucket, tags it with the normalised owner, outputs its s3 URL', async () => {
    const { requests, state } = fakeBucket({ exists: false });
    const { ctx, outputs, logLines } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'Group:ML-Team', prefix: '/models/' },
    });
    await action.handler(ctx);
    expect(requests).toEqual([
      'HEAD /ml-fraud/',
      'PUT /ml-fraud/',
      'PUT /ml-fraud/?tagging=',
    ]);
    expect(state.owner).toBe('group:default/ml-team');
    expect(outputs).toEqual({
      bucket: 'ml-fraud',
      created: true,
      url: 's3://ml-fraud/models',
    });
    expect(logLines().join('\n')).not.toMatch(
      /very-secret-value|AKIA-test-key/,
    );
  });

  it('reuses a bucket the same owner has, without writing anything', async () => {
    const { requests } = fakeBucket({
      exists: true,
      owner: 'group:default/ml-team',
    });
    const { ctx, outputs } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
    });
    await action.handler(ctx);
    expect(requests).toEqual(['HEAD /ml-fraud/', 'GET /ml-fraud/?tagging=']);
    expect(outputs).toMatchObject({ created: false, url: 's3://ml-fraud' });
  });

  it('reuses an untagged bucket (made outside the scaffolder) and leaves it untagged', async () => {
    const { requests, state } = fakeBucket({ exists: true });
    const { ctx, outputs, logLines } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
    });
    await action.handler(ctx);
    expect(outputs.created).toBe(false);
    expect(state.owner).toBeUndefined();
    expect(requests.filter(r => r.startsWith('PUT'))).toEqual([]);
    expect(logLines().join('\n')).toContain('without a mlstack.io/owner tag');
  });

  it("refuses another owner's bucket, naming the bucket and both owners", async () => {
    fakeBucket({ exists: true, owner: 'group:default/other-team' });
    const { ctx } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "S3 bucket 'ml-fraud' at http://s3.test:9000 belongs to group:default/other-team (tag mlstack.io/owner), not to group:default/ml-team",
    );
  });

  it('treats BucketAlreadyOwnedByYou (a race) as an existing bucket', async () => {
    const { requests } = fakeBucket({
      exists: false,
      owner: 'group:default/ml-team',
      create: s3Error('BucketAlreadyOwnedByYou', 409),
    });
    const { ctx, outputs } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
    });
    await action.handler(ctx);
    expect(outputs.created).toBe(false);
    expect(requests).toEqual([
      'HEAD /ml-fraud/',
      'PUT /ml-fraud/',
      'GET /ml-fraud/?tagging=',
    ]);
  });

  it('says a bucket of another account is taken (BucketAlreadyExists)', async () => {
    fakeBucket({ exists: false, create: s3Error('BucketAlreadyExists', 409) });
    const { ctx } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "S3 bucket 'ml-fraud' at http://s3.test:9000 already exists and is owned by another account (BucketAlreadyExists)",
    );
  });

  it('says so when the bucket exists but is forbidden (403)', async () => {
    fakeBucket({ exists: true, head: 403 });
    server.use(
      http.get(`${s3.endpoint}/`, () =>
        HttpResponse.xml(
          '<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>',
        ),
      ),
    );
    const { ctx } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        "S3 bucket 'ml-fraud' at http://s3.test:9000 exists but the backend's S3 credentials may not use it (HTTP 403)",
      ),
    });
  });

  it('says the credentials are rejected when S3 refuses every request', async () => {
    fakeBucket({ exists: true, head: 403 });
    server.use(
      http.get(`${s3.endpoint}/`, () => s3Error('SignatureDoesNotMatch', 403)),
    );
    const { ctx } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
    });
    const error = await action.handler(ctx).catch(e => e);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toContain(
      'S3 at http://s3.test:9000: check the credentials (mlops.s3.accessKeyId and secretAccessKey) failed (HTTP 403 SignatureDoesNotMatch)',
    );
    expect(error.message).not.toContain('very-secret-value');
  });

  it('names the endpoint, not the credentials, when S3 cannot be reached', async () => {
    const down = createS3CreateBucketAction({
      s3: { ...s3, endpoint: 'http://127.0.0.1:1' },
      initiator: testInitiator(),
    });
    server.use(http.all('http://127.0.0.1:1/*', () => HttpResponse.error()));
    const { ctx } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
    });
    const error = await down.handler(ctx).catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(/^S3 at http:\/\/127\.0\.0\.1:1: /);
    expect(error.message).not.toMatch(/very-secret-value|AKIA-test-key/);
  });

  it('validates the bucket name against the S3 rules, naming the rule', async () => {
    const cases: Array<[string, string]> = [
      ['ab', 'must be 3 to 63 characters long'],
      ['ML-Fraud', 'only lower-case letters, digits, dots (.) and hyphens (-)'],
      ['-fraud', 'must begin and end with a letter or a digit'],
      ['ml..fraud', 'must not contain two adjacent dots'],
      ['192.168.5.4', 'must not be formatted as an IP address'],
      ['xn--fraud', "must not start with the reserved prefix 'xn--'"],
      ['fraud-s3alias', "must not end with the reserved suffix '-s3alias'"],
    ];
    for (const [bucket, rule] of cases) {
      const { ctx } = createActionContext({
        input: { bucket, owner: 'group:default/ml-team' },
      });
      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(rule),
      });
    }
  });

  it('rejects an owner that is not an entity ref and a prefix with ..', async () => {
    const bad = [
      { bucket: 'ml-fraud', owner: 'group:default/ml team' },
      { bucket: 'ml-fraud', owner: 'group:default/x', prefix: 'a/../b' },
    ];
    for (const input of bad) {
      const { ctx } = createActionContext({ input });
      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
      });
    }
  });

  it('refuses a user who is not the owner or a member of it, before any request, also in a dry run', async () => {
    // no msw handler: a request would fail the test
    const strangers = createS3CreateBucketAction({
      s3,
      initiator: testInitiator({ memberOf: ['group:default/other-team'] }),
    });
    for (const isDryRun of [false, true]) {
      const { ctx } = createActionContext({
        input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
        credentials: mockCredentials.user('user:default/bob'),
        isDryRun,
      });
      await expect(strangers.handler(ctx)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          "User user:default/bob is not group:default/ml-team nor a member of it, so this task may not claim S3 bucket 'ml-fraud' for group:default/ml-team",
        ),
      });
    }
  });

  it('refuses a task started by a service unless mlops.scaffolder.allowServiceInitiators', async () => {
    const { ctx } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
      credentials: mockCredentials.service('external:ci'),
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        "This task was started by service 'external:ci', not by a user",
      ),
    });
    fakeBucket({ exists: false });
    const services = createS3CreateBucketAction({
      s3,
      initiator: testInitiator({ allowServiceInitiators: true }),
    });
    await services.handler(ctx);
  });

  it('fails with a clear error when mlops.s3 is not configured', async () => {
    const { ctx } = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
    });
    await expect(
      createS3CreateBucketAction({
        initiator: testInitiator(),
      }).handler(ctx),
    ).rejects.toThrow("'mlops.s3' is not configured");
  });

  it('dry run: validates and outputs, with no request to S3', async () => {
    // no msw handler: any request would fail the test
    const { ctx, outputs } = createActionContext({
      input: {
        bucket: 'ml-fraud',
        owner: 'group:default/ml-team',
        prefix: 'm',
      },
      isDryRun: true,
    });
    await action.handler(ctx);
    expect(outputs).toEqual({
      bucket: 'ml-fraud',
      created: true,
      url: 's3://ml-fraud/m',
    });
    const bad = createActionContext({
      input: { bucket: 'ML', owner: 'group:default/ml-team' },
      isDryRun: true,
    });
    await expect(action.handler(bad.ctx)).rejects.toThrow(
      'Invalid S3 bucket name',
    );
  });

  it('does not repeat the side effects on a retried task (checkpoint)', async () => {
    const { requests } = fakeBucket({ exists: false });
    const first = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
    });
    await action.handler(first.ctx);
    const count = requests.length;
    const retry = createActionContext({
      input: { bucket: 'ml-fraud', owner: 'group:default/ml-team' },
      checkpoints: first.checkpoints,
    });
    await action.handler(retry.ctx);
    expect(requests).toHaveLength(count);
    expect(retry.outputs.created).toBe(true);
  });
});

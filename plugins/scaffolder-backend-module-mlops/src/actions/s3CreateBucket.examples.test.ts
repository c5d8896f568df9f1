import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import yaml from 'yaml';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createS3CreateBucketAction } from './s3CreateBucket';
import { examples } from './s3CreateBucket.examples';

const server = setupServer();
registerMswTestHooks(server);

const action = createS3CreateBucketAction({
  s3: {
    endpoint: 'http://s3.test',
    region: 'us-east-1',
    accessKeyId: 'key',
    secretAccessKey: 'secret',
    forcePathStyle: true,
  },
  initiator: testInitiator({ memberOf: ['group:default/ml-team'] }),
});

describe('mlops:s3:create-bucket examples', () => {
  it.each(examples.map((e, i) => [e.description, i] as const))(
    '%s',
    async (_description, index) => {
      const requests: string[] = [];
      server.use(
        http.all('http://s3.test/*', ({ request }) => {
          const url = new URL(request.url);
          requests.push(`${request.method} ${url.pathname}${url.search}`);
          return new HttpResponse(null, {
            status: request.method === 'HEAD' ? 404 : 200,
          });
        }),
      );
      const step = yaml.parse(examples[index].example).steps[0];
      expect(step.action).toBe(action.id);
      const { ctx, outputs } = createActionContext({ input: step.input });
      await action.handler(ctx);
      expect(requests).toEqual([
        `HEAD /${step.input.bucket}/`,
        `PUT /${step.input.bucket}/`,
        `PUT /${step.input.bucket}/?tagging=`,
      ]);
      expect(outputs).toEqual({
        bucket: step.input.bucket,
        created: true,
        url: `s3://${step.input.bucket}${
          step.input.prefix ? `/${step.input.prefix}` : ''
        }`,
      });
    },
  );
});

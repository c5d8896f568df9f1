import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { lineageResponse } from '../components/lineage/LineageContent/lineageFixtures';
import { MlopsClient } from './MlopsClient';

const server = setupServer();
registerMswTestHooks(server);

const lineageUrl =
  'http://backstage.test/api/mlops/entities/Component/default/fraud-detector/lineage';

function makeClient() {
  return new MlopsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: mockApis.fetch(),
  });
}

describe('MlopsClient lineage', () => {
  const ref = {
    kind: 'Component',
    namespace: 'default',
    name: 'fraud-detector',
  };

  it('gets the lineage, sending only the model, version and alias given', async () => {
    const seen: URL[] = [];
    server.use(
      http.get(lineageUrl, ({ request }) => {
        seen.push(new URL(request.url));
        return HttpResponse.json(lineageResponse as any);
      }),
    );
    const client = makeClient();
    await expect(client.getLineage(ref)).resolves.toEqual(lineageResponse);
    await client.getLineage(ref, {
      model: 'fraud-detector',
      alias: 'champion',
    });
    await client.getLineage(ref, { version: '3' });
    expect(seen.map(u => u.search)).toEqual([
      '',
      '?model=fraud-detector&alias=champion',
      '?version=3',
    ]);
  });

  it('throws a ResponseError naming the bad parameter', async () => {
    server.use(
      http.get(lineageUrl, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: 'Invalid request: version: not a version number',
            },
            request: { method: 'GET', url: '/entities/x/lineage' },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    const error = await makeClient()
      .getLineage(ref, { version: 'x' })
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toBe(
      'Invalid request: version: not a version number',
    );
  });
});

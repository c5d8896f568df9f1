import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { orNotInScope, orUndefinedIfNotFound } from './notInScope';

describe('reads of objects that may not exist', () => {
  it('orUndefinedIfNotFound: the value, undefined for a NotFoundError, other errors as they are', async () => {
    await expect(orUndefinedIfNotFound(Promise.resolve('wf'))).resolves.toBe(
      'wf',
    );
    await expect(
      orUndefinedIfNotFound(Promise.reject(new NotFoundError('gone'))),
    ).resolves.toBeUndefined();
    await expect(
      orUndefinedIfNotFound(
        Promise.reject(new ServiceUnavailableError('cluster down')),
      ),
    ).rejects.toThrow('cluster down');
  });

  it('orNotInScope: a NotFoundError becomes the not-in-scope one, other errors stay', async () => {
    const hidden = new NotFoundError('No workflow x in the scope of y');
    await expect(
      orNotInScope(Promise.reject(new NotFoundError('raw 404')), () => hidden),
    ).rejects.toBe(hidden);
    await expect(
      orNotInScope(
        Promise.reject(new ServiceUnavailableError('cluster down')),
        () => hidden,
      ),
    ).rejects.toThrow('cluster down');
  });
});

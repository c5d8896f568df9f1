import {
  CreateBucketCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InitiatorPolicy, requireInitiatorOwns } from '../lib/initiator';
import {
  createS3Client,
  requireS3Settings,
  s3ErrorName,
  s3StatusCode,
  S3Settings,
  toS3Error,
} from '../lib/s3';
import {
  normaliseKeyPrefix,
  normaliseOwnerRef,
  OWNER_TAG,
  validateBucketName,
} from '../lib/validation';
import { examples } from './s3CreateBucket.examples';

export const S3_CREATE_BUCKET_ACTION_ID = 'mlops:s3:create-bucket';

/** What the bucket's owner tag says: absent, or the owner it names. */
async function readOwnerTag(
  client: S3Client,
  settings: S3Settings,
  bucket: string,
): Promise<string | undefined> {
  try {
    const { TagSet } = await client.send(
      new GetBucketTaggingCommand({ Bucket: bucket }),
    );
    return TagSet?.find(t => t.Key === OWNER_TAG)?.Value;
  } catch (error) {
    if (s3ErrorName(error) === 'NoSuchTagSet' || s3StatusCode(error) === 404) {
      return undefined;
    }
    throw toS3Error(error, settings, `read the tags of bucket '${bucket}'`);
  }
}

/** Whether the bucket exists and the configured credentials may use it. */
async function bucketExists(
  client: S3Client,
  settings: S3Settings,
  bucket: string,
): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    const status = s3StatusCode(error);
    if (status === 404) {
      return false;
    }
    if (status === 403) {
      // A HEAD answer has no body: tell rejected credentials from a forbidden bucket.
      await client.send(new ListBucketsCommand({})).catch(listError => {
        throw toS3Error(
          listError,
          settings,
          'check the credentials (mlops.s3.accessKeyId and secretAccessKey)',
        );
      });
      throw new NotAllowedError(
        `S3 bucket '${bucket}' at ${settings.endpoint} exists but the backend's S3 credentials may not use it (HTTP 403): ` +
          'it belongs to another account, or the credentials lack access to it. Pick another bucket name.',
      );
    }
    throw toS3Error(error, settings, `check bucket '${bucket}'`);
  }
}

/**
 * Creates the bucket (tagged with its owner) or reuses it; returns whether it was created.
 * An existing bucket is reused when it carries the same owner tag, or no owner tag at all (a
 * bucket made outside the scaffolder; it is left untagged).
 */
export async function ensureBucket(
  client: S3Client,
  settings: S3Settings,
  bucket: string,
  owner: string,
  log: (message: string) => void,
): Promise<boolean> {
  let created = false;
  if (!(await bucketExists(client, settings, bucket))) {
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      created = true;
    } catch (error) {
      const name = s3ErrorName(error);
      if (name === 'BucketAlreadyExists') {
        throw new ConflictError(
          `S3 bucket '${bucket}' at ${settings.endpoint} already exists and is owned by another account (BucketAlreadyExists); bucket names are global, pick another one`,
        );
      }
      if (name !== 'BucketAlreadyOwnedByYou') {
        throw toS3Error(error, settings, `create bucket '${bucket}'`);
      }
    }
  }
  if (created) {
    try {
      await client.send(
        new PutBucketTaggingCommand({
          Bucket: bucket,
          Tagging: { TagSet: [{ Key: OWNER_TAG, Value: owner }] },
        }),
      );
    } catch (error) {
      throw toS3Error(error, settings, `tag bucket '${bucket}'`);
    }
    log(`Created S3 bucket '${bucket}', tagged ${OWNER_TAG}=${owner}`);
    return true;
  }
  const taggedOwner = await readOwnerTag(client, settings, bucket);
  if (taggedOwner === undefined) {
    log(
      `S3 bucket '${bucket}' already exists without a ${OWNER_TAG} tag (made outside the scaffolder); reusing it as it is`,
    );
  } else if (taggedOwner.toLowerCase() !== owner) {
    throw new ConflictError(
      `S3 bucket '${bucket}' at ${settings.endpoint} belongs to ${taggedOwner} (tag ${OWNER_TAG}), not to ${owner}; pick another bucket name`,
    );
  } else {
    log(
      `S3 bucket '${bucket}' already exists and belongs to ${owner}; reusing it`,
    );
  }
  return false;
}

/**
 * `mlops:s3:create-bucket`: creates an S3 bucket (on MinIO or any S3 API) for a project,
 * tagged with its owner, or reuses the owner's existing bucket.
 *
 * @public
 */
export function createS3CreateBucketAction(options: {
  /** `mlops.s3`; without it the action fails with an error saying so. */
  s3?: S3Settings;
  /** For tests; defaults to a client of `s3`. */
  createClient?: (settings: S3Settings) => S3Client;
  /** Who may claim a bucket for an owner. */
  initiator: InitiatorPolicy;
}) {
  const newClient = options.createClient ?? createS3Client;
  return createTemplateAction({
    id: S3_CREATE_BUCKET_ACTION_ID,
    description:
      'Creates an S3 bucket tagged with its owner (mlstack.io/owner), or reuses one the same owner already has',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        bucket: z =>
          z
            .string()
            .describe(
              'Bucket name, following the S3 bucket naming rules (3-63 lower-case letters, digits, dots and hyphens)',
            ),
        owner: z =>
          z
            .string()
            .describe(
              "Entity ref of the owner, e.g. 'group:default/ml-team'; stored as the bucket tag mlstack.io/owner",
            ),
        prefix: z =>
          z
            .string()
            .optional()
            .describe(
              "Key prefix inside the bucket for this project, e.g. 'fraud-detector'; only part of the output url",
            ),
      },
      output: {
        bucket: z => z.string().describe('The bucket name'),
        created: z =>
          z
            .boolean()
            .describe(
              'true if this run created the bucket, false if it existed',
            ),
        url: z =>
          z
            .string()
            .describe(
              "s3:// URL of the bucket and prefix, e.g. 's3://ml-fraud/models'",
            ),
      },
    },
    async handler(ctx) {
      const bucket = ctx.input.bucket.trim();
      validateBucketName(bucket);
      const owner = normaliseOwnerRef(ctx.input.owner);
      const prefix = normaliseKeyPrefix(ctx.input.prefix);
      const settings = requireS3Settings(
        options.s3,
        `${S3_CREATE_BUCKET_ACTION_ID}`,
      );
      const url = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
      await requireInitiatorOwns(
        ctx,
        options.initiator,
        owner,
        `claim S3 bucket '${bucket}'`,
      );

      let created: boolean;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create S3 bucket '${bucket}' at ${settings.endpoint} tagged ${OWNER_TAG}=${owner}, or reuse it if ${owner} already has it`,
        );
        created = true;
      } else {
        const result = await ctx.checkpoint({
          key: `mlops.s3.create-bucket.${bucket}`,
          fn: async () => {
            const client = newClient(settings);
            try {
              return {
                created: await ensureBucket(
                  client,
                  settings,
                  bucket,
                  owner,
                  m => ctx.logger.info(m),
                ),
              };
            } finally {
              client.destroy();
            }
          },
        });
        created = result.created;
      }
      ctx.output('bucket', bucket);
      ctx.output('created', created);
      ctx.output('url', url);
    },
  });
}

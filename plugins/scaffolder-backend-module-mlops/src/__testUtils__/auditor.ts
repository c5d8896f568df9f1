import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  PermissionsService,
} from '@backstage/backend-plugin-api';

type Meta = AuditorServiceCreateEventOptions['meta'];

/** One audit event as the fake auditor recorded it. */
export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: string;
  meta?: Meta;
  status: 'initiated' | 'succeeded' | 'failed';
  /** The meta given to success or fail. */
  endMeta?: Meta;
  error?: Error;
}

/** An auditor that keeps every event it is given, with how it ended. */
export function recordingAuditor(): AuditorService & {
  events: RecordedAuditEvent[];
} {
  const events: RecordedAuditEvent[] = [];
  return {
    events,
    async createEvent(options) {
      const event: RecordedAuditEvent = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: options.meta,
        status: 'initiated',
      };
      events.push(event);
      return {
        async success(end) {
          event.status = 'succeeded';
          event.endMeta = end?.meta;
        },
        async fail(end) {
          event.status = 'failed';
          event.endMeta = end.meta;
          event.error = end.error;
        },
      };
    },
  };
}

/**
 * A permission service that decides every request with `decide` (ALLOW by default), and
 * records the requests.
 */
export function fakePermissions(
  decide: (request: {
    permission: { name: string };
    resourceRef?: string;
  }) => 'ALLOW' | 'DENY' = () => 'ALLOW',
): PermissionsService & { requests: unknown[][] } {
  const requests: unknown[][] = [];
  const authorize = async (queries: any[], options: unknown) => {
    requests.push([queries, options]);
    return queries.map(query => ({ result: decide(query) }));
  };
  return {
    requests,
    authorize: authorize as unknown as PermissionsService['authorize'],
    authorizeConditional: (async () => {
      throw new Error('not used by these actions');
    }) as unknown as PermissionsService['authorizeConditional'],
  };
}

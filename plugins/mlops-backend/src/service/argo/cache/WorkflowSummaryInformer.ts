import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ArgoWorkflowSummary } from '@mlstack/plugin-mlops-common';
import { WorkflowSource, summarizeWorkflow } from './WorkflowSource';
import { WatchError, WatchEvent, WatchHandle } from './watchStream';
import { newestFirst } from './workflowOrder';

/**
 * loading: the first list is under way; ready: listed and watching; failing: the watch keeps
 * failing (it is still retried); forbidden: the API server refuses the watch (no retry);
 * stopped.
 */
export type InformerState =
  | 'loading'
  | 'ready'
  | 'failing'
  | 'forbidden'
  | 'stopped';

export interface InformerOptions {
  source: WorkflowSource;
  /** What is watched, for the log: cluster, namespace and selector. */
  description: string;
  logger: Pick<LoggerService, 'warn' | 'info'>;
  /** First retry delay; doubled per failure up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive failures after which the cache is not used (it keeps retrying). */
  failuresBeforeFallback?: number;
}

/**
 * A watch that ended normally sooner than this counts as a failure (the API server ends one
 * after its timeoutSeconds; something else answering at once must not make a tight loop).
 */
const SHORT_WATCH_MS = 5000;

const EVENT_TYPES = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'];

/**
 * The summaries of one selector's workflows, kept current by a list and then a watch from the
 * list's resourceVersion (relisting when the API server answers 410 Gone). Only the parsed
 * summary of each workflow is kept, by name. Never throws from a callback or a timer.
 */
export class WorkflowSummaryInformer {
  #state: InformerState = 'loading';
  readonly #items = new Map<string, ArgoWorkflowSummary>();
  #version = 0;
  #sorted?: { version: number; items: ArgoWorkflowSummary[] };
  #resourceVersion = '';
  #watch?: WatchHandle;
  #timer?: NodeJS.Timeout;
  #failures = 0;
  #warned = false;
  /** Aborted by stop(): a list under way stops (its request aborted, no further page). */
  readonly #lifetime = new AbortController();
  readonly #options: Required<InformerOptions>;

  constructor(options: InformerOptions) {
    this.#options = {
      initialBackoffMs: 1000,
      maxBackoffMs: 30_000,
      failuresBeforeFallback: 3,
      ...options,
    };
  }

  get state(): InformerState {
    return this.#state;
  }

  /** Whether the summaries can be served: listed, and the watch is not failing. */
  get usable(): boolean {
    return this.#state === 'ready';
  }

  /**
   * Lists, then watches; settles once the watch is open or has failed (a refused watch is
   * then known: the cache is not used). Rejects with the list's error when the first list
   * fails, or with an AbortError when the informer is stopped while it lists.
   */
  async start(): Promise<void> {
    await this.#list();
    this.#lifetime.signal.throwIfAborted();
    await new Promise<void>(resolve => {
      this.#settled = resolve;
      this.#startWatch();
    });
  }

  /** Resolves start() once the first watch is open or has ended. */
  #settled?: () => void;

  #settle(): void {
    this.#settled?.();
    this.#settled = undefined;
  }

  stop(): void {
    this.#state = 'stopped';
    this.#lifetime.abort(
      new DOMException(
        `Argo workflow cache of ${this.#options.description} stopped`,
        'AbortError',
      ),
    );
    this.#settle();
    this.#watch?.stop();
    this.#watch = undefined;
    clearTimeout(this.#timer);
  }

  /** The summaries, newest first (then by name); the same array until something changes. */
  sorted(): ArgoWorkflowSummary[] {
    if (this.#sorted?.version !== this.#version) {
      this.#sorted = {
        version: this.#version,
        items: [...this.#items.values()].sort(newestFirst),
      };
    }
    return this.#sorted.items;
  }

  /** Adds a workflow the backend just created, unless the watch already brought it. */
  noteCreated(summary: ArgoWorkflowSummary): void {
    if (this.#state !== 'stopped' && !this.#items.has(summary.name)) {
      this.#items.set(summary.name, summary);
      this.#version++;
    }
  }

  async #list(): Promise<void> {
    const listed = await this.#options.source.list(this.#lifetime.signal);
    if (this.#state === 'stopped') return;
    this.#items.clear();
    for (const item of listed.items) {
      this.#items.set(item.name, item);
    }
    this.#version++;
    this.#resourceVersion = listed.resourceVersion;
    if (this.#state === 'loading') this.#state = 'ready';
  }

  #startWatch(): void {
    if (this.#state === 'stopped' || this.#state === 'forbidden') return;
    const startedAt = Date.now();
    this.#watch = this.#options.source.watch(this.#resourceVersion, {
      onOpen: () => {
        this.#healthy();
        this.#settle();
      },
      onEvent: event => this.#onEvent(event),
      onDone: error => {
        this.#watch = undefined;
        this.#settle();
        if (this.#state === 'stopped' || this.#state === 'forbidden') return;
        if (!error && Date.now() - startedAt < SHORT_WATCH_MS) {
          this.#onFailure(new Error('the watch closed at once'), false);
        } else if (error) {
          this.#onWatchError(error);
        } else {
          this.#startWatch();
        }
      },
    });
  }

  #onEvent(event: WatchEvent): void {
    const object = event.object as {
      metadata?: { name?: string; resourceVersion?: string };
      code?: number;
      message?: string;
    } | null;
    if (!EVENT_TYPES.includes(event?.type)) {
      throw new WatchError('the watch sent something that is not an event');
    }
    if (event.type === 'ERROR') {
      // The API server ends the stream after an ERROR event; stop it now and handle the code.
      this.#watch?.stop();
      this.#watch = undefined;
      this.#onWatchError(
        new WatchError(
          `watch error: ${object?.message ?? 'unknown'}`,
          object?.code,
        ),
      );
      return;
    }
    const resourceVersion = object?.metadata?.resourceVersion;
    if (resourceVersion) this.#resourceVersion = resourceVersion;
    if (event.type === 'BOOKMARK') return;
    const name = object?.metadata?.name;
    if (!name) return;
    if (event.type === 'DELETED') {
      this.#items.delete(name);
    } else if (event.type === 'ADDED' || event.type === 'MODIFIED') {
      this.#items.set(name, summarizeWorkflow(object));
    } else {
      return;
    }
    this.#version++;
  }

  #healthy(): void {
    this.#failures = 0;
    if (this.#state === 'failing') {
      this.#state = 'ready';
      this.#options.logger.info(
        `Argo workflow cache of ${this.#options.description}: watching again`,
      );
      this.#warned = false;
    }
  }

  #onWatchError(error: Error): void {
    this.#settle();
    const status = (error as WatchError).statusCode;
    if (status === 410) {
      // The resourceVersion is too old: list again, then watch from the new one.
      this.#retry(true, 0);
    } else if (status === 403) {
      this.stop();
      this.#state = 'forbidden';
      this.#options.logger.warn(
        `Argo workflow cache of ${
          this.#options.description
        } is not used: the cluster refuses to watch workflows (${
          error.message
        }); ` +
          'the runs are listed page by page from the API server (by name). Grant the backend `watch` on workflows.argoproj.io',
      );
    } else {
      this.#onFailure(error, false);
    }
  }

  #onFailure(error: Error, relist: boolean): void {
    this.#failures++;
    if (
      this.#failures >= this.#options.failuresBeforeFallback &&
      this.#state === 'ready'
    ) {
      this.#state = 'failing';
      if (!this.#warned) {
        this.#warned = true;
        this.#options.logger.warn(
          `Argo workflow cache of ${this.#options.description} keeps failing (${
            error.message
          }); ` +
            'the runs are listed page by page from the API server until the watch works again',
        );
      }
    }
    const delay = Math.min(
      this.#options.initialBackoffMs * 2 ** (this.#failures - 1),
      this.#options.maxBackoffMs,
    );
    this.#retry(relist, delay);
  }

  #retry(relist: boolean, delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.#state === 'stopped') return;
      if (!relist) {
        this.#startWatch();
        return;
      }
      this.#list().then(
        () => this.#startWatch(),
        (error: Error) => {
          if (this.#state !== 'stopped') this.#onFailure(error, true);
        },
      );
    }, delayMs);
    this.#timer.unref?.();
  }
}

// `rounds setup`: prepares a namespace on a real Temporal cluster, idempotently. The dev server
// hides three things a cluster does not: it has no `default` namespace until someone creates
// one, search attributes reach every service only after its namespace cache refreshes (~2 s,
// so a start right after registering them can still be refused), and the register's search
// attributes must be registered before the first letter starts. Run it once per namespace (and
// again after an upgrade that adds attributes); running it again changes nothing.
import crypto from 'node:crypto';
import { msToNumber, msToTs } from '@temporalio/common/lib/time';
import { connectClient, type ConnectedClient, type TemporalSettings } from '../worker/connection';
import { ensureSearchAttributes } from '../worker/search-attributes';
import { LetterState, NextActionAt, Outstanding, RecipientEmails, RoundId } from '../workflows/letter-api';
import { SystemError, UserError } from './errors';

const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const DAY_MS = 86_400_000;

export interface SetupOptions {
  /** Workflow retention for a namespace this creates, e.g. '30d' (the server's minimum is 1 day). */
  retention: string;
  /** How long to wait for the cluster to accept a start with the attributes (default 60 s). */
  timeoutMs?: number;
}

export interface SetupResult {
  namespaceCreated: boolean;
  retentionDays: number;
  attributesAdded: string[];
  /** How long after registering the attributes a start with them was first accepted. */
  acceptedAfterMs: number;
}

/** '30d', '72h', '2 weeks'... as whole days (at least 1); a UserError naming the flag otherwise. */
export function retentionDays(value: string): number {
  let ms: number;
  try {
    ms = msToNumber(value as never);
  } catch {
    ms = NaN;
  }
  if (!Number.isFinite(ms) || ms < DAY_MS || ms % DAY_MS !== 0) {
    throw new UserError(`--retention: expected a whole number of days of at least 1, like 30d or 90d, got '${value}'`);
  }
  return ms / DAY_MS;
}

export async function setupNamespace(settings: TemporalSettings, opts: SetupOptions, print: (s: string) => void): Promise<SetupResult> {
  const days = retentionDays(opts.retention);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const client = await connectClient(settings);
  try {
    const service = client.connection.workflowService;
    const namespace = settings.namespace;
    let namespaceCreated = false;
    let current = await describe(client, namespace);
    if (!current) {
      try {
        await service.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs(days * DAY_MS),
          description: 'request-rounds: one letter workflow per letter (created by `rounds setup`)',
        });
        namespaceCreated = true;
      } catch (err) {
        if (codeOf(err) !== ALREADY_EXISTS) throw systemError(`could not create namespace '${namespace}'`, err);
      }
      // The frontend learns of a new namespace when its namespace cache refreshes.
      current = await waitFor(`namespace '${namespace}' to be usable`, timeoutMs, () => describe(client, namespace));
      print(namespaceCreated ? `namespace ${namespace}: created, retention ${days} days` : `namespace ${namespace}: created by someone else meanwhile`);
    } else {
      print(`namespace ${namespace}: exists, retention ${current.retentionDays} days (left as it is)`);
    }

    const added = await waitFor(`the search attributes to be registered in '${namespace}'`, timeoutMs, async () => {
      try {
        return await ensureSearchAttributes(client.connection, namespace);
      } catch (err) {
        // A namespace created a moment ago may not have reached the operator service yet.
        if (codeOf(err) === NOT_FOUND) return undefined;
        throw err;
      }
    }).catch((err) => {
      throw err instanceof SystemError ? err : systemError(`could not register the search attributes in '${namespace}'`, err);
    });
    print(added.length ? `search attributes: added ${added.join(', ')}` : 'search attributes: all there already');

    const t0 = Date.now();
    await waitFor(`a start with the search attributes to be accepted in '${namespace}'`, timeoutMs, () => probeStart(client));
    const acceptedAfterMs = Date.now() - t0;
    print(`ready: a start with the search attributes is accepted (after ${(acceptedAfterMs / 1000).toFixed(1)} s)`);
    return { namespaceCreated, retentionDays: current.retentionDays ?? days, attributesAdded: added, acceptedAfterMs };
  } finally {
    await client.connection.close().catch(() => undefined);
  }
}

async function describe(client: ConnectedClient, namespace: string): Promise<{ retentionDays?: number } | undefined> {
  try {
    const d = await client.connection.workflowService.describeNamespace({ namespace });
    const seconds = Number(d.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
    return { retentionDays: seconds ? Math.round(seconds / 86_400) : undefined };
  } catch (err) {
    if (codeOf(err) === NOT_FOUND) return undefined;
    throw err;
  }
}

/**
 * Starts a workflow that nobody runs (its own task queue) with every search attribute set, and
 * deletes it at once. Returns true once the start is accepted; undefined while the cluster
 * still refuses the attributes (its namespace cache has not caught up).
 */
async function probeStart(client: ConnectedClient): Promise<true | undefined> {
  const workflowId = `rounds-setup-probe/${crypto.randomUUID()}`;
  try {
    const handle = await client.workflow.start('roundsSetupProbe', {
      taskQueue: 'rounds-setup-probe',
      workflowId,
      typedSearchAttributes: [
        { key: RoundId, value: 'rounds-setup-probe' },
        { key: LetterState, value: 'awaiting' },
        { key: NextActionAt, value: new Date() },
        { key: Outstanding, value: ['probe'] },
        { key: RecipientEmails, value: ['probe@example.org'] },
      ],
    });
    await client.connection.workflowService
      .deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: { workflowId, runId: handle.firstExecutionRunId } })
      .catch(() => handle.terminate('rounds setup probe').catch(() => undefined));
    return true;
  } catch (err) {
    const code = codeOf(err);
    // INVALID_ARGUMENT "search attribute ... is not defined", or NOT_FOUND while the namespace propagates.
    if (code === 3 || code === NOT_FOUND || /search attribute/i.test((err as Error).message)) return undefined;
    throw err;
  }
}

async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new SystemError(`gave up waiting ${Math.round(timeoutMs / 1000)} s for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function codeOf(err: unknown): number | undefined {
  const e = err as { code?: number; cause?: { code?: number } };
  return e.code ?? e.cause?.code;
}

function systemError(what: string, err: unknown): SystemError {
  const code = codeOf(err);
  const hint = code === 7 ? ' (permission denied: run `rounds setup` with an identity that may administer the namespace)' : '';
  return new SystemError(`${what}: ${(err as Error).message}${hint}`);
}

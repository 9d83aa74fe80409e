// Connection settings follow Temporal's conventions (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
// TEMPORAL_API_KEY, TLS, profiles in temporal.toml) through @temporalio/envconfig, so the same
// code runs against the local dev server and a production cluster. The worker's own (native)
// connection is in worker.ts: the CLI loads this file for every command, and the worker SDK
// is the slowest thing to load.
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NamespaceNotReadyError, TemporalUnreachableError } from '../domain/errors';

/**
 * The clear message for a cluster that has not been prepared, when `err` says so: a missing
 * namespace (NOT_FOUND, which a real server answers where the dev server has `default`) or a
 * search attribute the namespace does not define (INVALID_ARGUMENT). Undefined otherwise.
 */
export function notReady(settings: TemporalSettings | undefined, err: unknown): NamespaceNotReadyError | undefined {
  const e = err as { code?: number; message?: string; cause?: { code?: number; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const message = `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
  const where = settings ? `namespace '${settings.namespace}' on ${settings.address}` : 'the namespace';
  // The client says NamespaceNotFoundError; raw gRPC calls (the operator service) say NOT_FOUND.
  if ((err as Error)?.name === 'NamespaceNotFoundError' || (code === 5 && /namespace/i.test(message))) {
    return new NamespaceNotReadyError(
      `${where} does not exist. If the name is right, create it with \`rounds setup\` (once per namespace), then try again; if not, give --namespace or set TEMPORAL_NAMESPACE.`,
    );
  }
  if (code === 3 && /search attribute/i.test(message)) {
    return new NamespaceNotReadyError(
      `${where} lacks the register's search attributes (${message.trim()}). Register them with \`rounds setup\`, then try again.`,
    );
  }
  return undefined;
}

export interface TemporalSettings {
  address: string;
  namespace: string;
  connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'];
}

export function temporalSettings(overrides: { address?: string; namespace?: string } = {}): TemporalSettings {
  const config = loadClientConnectConfig();
  const address = overrides.address ?? config.connectionOptions.address ?? 'localhost:7233';
  return {
    address,
    namespace: overrides.namespace ?? config.namespace ?? 'default',
    connectionOptions: { ...config.connectionOptions, address },
  };
}

export function unreachable(settings: TemporalSettings, err: unknown): TemporalUnreachableError {
  return new TemporalUnreachableError(
    `cannot reach Temporal at ${settings.address} (namespace ${settings.namespace}): ${(err as Error).message}. ` +
      'Start it with `npm start`, or set TEMPORAL_ADDRESS.',
  );
}

/** A client whose connection is a real gRPC Connection (the operator service is used to register search attributes). */
export type ConnectedClient = Client & { connection: Connection };

export async function connectClient(settings: TemporalSettings): Promise<ConnectedClient> {
  try {
    const connection = await Connection.connect({ ...settings.connectionOptions, connectTimeout: '5s' } as never);
    return new Client({ connection, namespace: settings.namespace }) as ConnectedClient;
  } catch (err) {
    throw unreachable(settings, err);
  }
}

// Keeps test output readable: the SDK's own INFO logs (worker state changes) go nowhere;
// warnings and errors still show. Core (the SDK's native part) prints errors only: the
// time-skipping test server does not advertise a capability the dev server has, and core warns
// about it once per worker (heartbeat details; ours carry none). Core's logs are not forwarded
// to the logger: forwarding keeps a handle open and jest would not exit.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
});

// Keeps test output readable: the SDK's own INFO logs (worker state changes) go nowhere;
// warnings and errors still show.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });

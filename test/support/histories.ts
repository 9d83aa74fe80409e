// Recorded workflow histories for the replay test, kept as binary protobuf (the SDK's JSON
// converter trips over two copies of protobufjs in the tree; binary is exact anyway).
// `RECORD_HISTORIES=1 npx jest` rewrites them: do that only for a deliberate change of the
// workflow, and keep the old files too, under a new name, while old workflows may still run.
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const HISTORIES_DIR = path.join(__dirname, '..', 'fixtures', 'histories');

export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  const history = temporal.api.history.v1.History.create(await handle.fetchHistory());
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
}

export function readHistory(file: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.decode(fs.readFileSync(path.join(HISTORIES_DIR, file)));
}

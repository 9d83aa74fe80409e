// Registers the letter workflow's custom search attributes, idempotently: run it at every
// start. Works on the dev server, a cluster, and the time-skipping test server (which
// cannot list them, but can add them).
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/letter-api';

const ALREADY_EXISTS = 6;
const UNIMPLEMENTED = 12;

export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  let existing: Record<string, unknown> = {};
  try {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    existing = listed.customAttributes ?? {};
  } catch (err) {
    if ((err as { code?: number }).code !== UNIMPLEMENTED) throw err;
  }
  const added: string[] = [];
  for (const key of SEARCH_ATTRIBUTES) {
    if (key.name in existing) continue;
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [key.name]: temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`] },
      });
      added.push(key.name);
    } catch (err) {
      if ((err as { code?: number }).code !== ALREADY_EXISTS && !/already exists/i.test((err as Error).message)) throw err;
    }
  }
  return added;
}

// The punctuality baseline's workflow (bench/bare-worker.ts runs it): a timer to the due
// moment, then one activity that sends one email. What Temporal itself needs to act on time,
// without anything of ours (no search attributes, no memo, no letter).
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { BareActivities } from './bare-worker';

const { sendOne } = proxyActivities<BareActivities>({ startToCloseTimeout: '2 minutes' });

export async function bareChase(dueAt: number, index: number): Promise<void> {
  const wait = dueAt - Date.now();
  if (wait > 0) await sleep(wait);
  await sendOne(index);
}

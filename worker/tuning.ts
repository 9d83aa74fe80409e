// The worker's tuning: the values `rounds worker` and `npm start` run with, each overridable by
// an environment variable (TUNING_ENV). Chosen with `npm run bench -- --memory` (bench/memory.ts;
// figures in bench/README.md, "Worker memory"): the target is a worker under 300 MB of RSS with
// 10,000 open letters, without making a burst of chases later.
//
// Where a worker's memory goes (compiled build, prebuilt bundle): ~200 MB idle (Node, the SDK's
// Rust core, the workflow thread's V8 isolate with the bundle); then the cached letters, and
// garbage that V8 keeps while its heap is far from its limit. The SDK's own default sizes the
// cache from the heap limit (about 2,300 workflows under Node's 4 GB), which cost 2.2 GB with a
// round of 10,000 letters whose timers fire days apart and bought nothing: a letter wakes a few
// times a month, and replaying its short history (under 60 events) takes milliseconds.
//
// The main thread's heap limits cannot be set from here (V8 fixes them when the process starts):
// NODE_OPTIONS='--max-old-space-size=128 --max-semi-space-size=2' for the worker process does
// that part (README, "Configuration").

export interface WorkerTuning {
  /** Letters kept in the worker's cache between their workflow tasks (the SDK's `maxCachedWorkflows`). */
  maxCachedWorkflows: number;
  /** Activities (emails, PDFs, mailbox polls) at once (the SDK's `maxConcurrentActivityTaskExecutions`). */
  maxConcurrentActivityTaskExecutions: number;
  /** Workflow tasks at once (the SDK's `maxConcurrentWorkflowTaskExecutions`). */
  maxConcurrentWorkflowTaskExecutions: number;
  /** Share of workflow-task pollers on the normal queue against the sticky one (the SDK's `nonStickyToStickyPollRatio`). */
  nonStickyToStickyPollRatio: number;
  /** V8's old-space limit for the workflow thread, in MB (`--max-old-space-size`); 0 leaves V8's own. */
  workflowHeapMb: number;
  /** V8's semi-space size for the workflow thread, in MB (`--max-semi-space-size`); 0 leaves V8's own. */
  workflowSemiSpaceMb: number;
}

export const DEFAULT_TUNING: WorkerTuning = {
  // ~0.4 MB per cached letter. 250 and 1,000 gave the same chase punctuality in the bench; with
  // 100 (and the workflow thread's limits below) a chase more often replays its letter first,
  // which five 10,000-letter runs on a quiet machine did not show as later chases (below).
  maxCachedWorkflows: 100,
  // SMTP goes through a pool of 5 connections (activities/email.ts): more activities at once
  // only queue inside nodemailer. Fewer slots keep the rest queued in Temporal, so a worker that
  // dies leaves at most this many sends waiting out their 2-minute start-to-close timeout.
  maxConcurrentActivityTaskExecutions: 20,
  // The SDK's own default.
  maxConcurrentWorkflowTaskExecutions: 40,
  // A newly started letter, a replay after eviction and every letter after a worker restart
  // poll the normal (non-sticky) queue; the SDK's 0.2 leaves 2 of 10 pollers there. Equal
  // shares doubled how fast a new round gets its first task (83 to 165 letters/s), at ~1 s more
  // p99 when 500 cached letters are chased at one moment.
  nonStickyToStickyPollRatio: 1,
  // The workflow thread (where cached letters live) holds ~20-40 MB live with 100-250 letters
  // cached, and under V8's own limits lets garbage grow to hundreds of MB. 96 MB of old space
  // and 2 MB semi-spaces keep it near what is live. Its state is small by construction: a
  // letter's timeline keeps 120 entries of at most 4,000 characters, mail is held by reference
  // to the document store, and a payload over Temporal's 2 MB limit never reaches it.
  // Five 10,000-letter bench runs on a quiet machine (3 December, bench/README.md, "Worker
  // memory"): RSS with the letters open 350 MB with these three defaults against 481-526 MB
  // with the former ones (cache 250, V8's own heap sizes), peak 506 against 700-718 MB; first
  // chase p99 / the bare workflow's 2.0x, run between the former defaults' 1.5x and 2.79x as
  // the machine slowed. Below 300 MB needs the main thread capped too, which only the command
  // that starts the process can do (NODE_OPTIONS, README "Configuration"); not a default,
  // because mail (up to 50 MB a message) is parsed on the main thread.
  workflowHeapMb: 96,
  workflowSemiSpaceMb: 2,
};

/** Each setting's environment variable and the range it accepts. */
export const TUNING_ENV: Record<keyof WorkerTuning, { name: string; min: number; max: number; integer: boolean }> = {
  maxCachedWorkflows: { name: 'ROUNDS_MAX_CACHED_WORKFLOWS', min: 0, max: 100_000, integer: true },
  maxConcurrentActivityTaskExecutions: { name: 'ROUNDS_MAX_CONCURRENT_ACTIVITIES', min: 1, max: 1_000, integer: true },
  // The SDK needs 2 or more when workflows are cached (one for the sticky queue, one for the normal one).
  maxConcurrentWorkflowTaskExecutions: { name: 'ROUNDS_MAX_CONCURRENT_WORKFLOW_TASKS', min: 2, max: 1_000, integer: true },
  nonStickyToStickyPollRatio: { name: 'ROUNDS_NON_STICKY_POLL_RATIO', min: 0.01, max: 1, integer: false },
  workflowHeapMb: { name: 'ROUNDS_WORKFLOW_HEAP_MB', min: 0, max: 16_384, integer: true },
  workflowSemiSpaceMb: { name: 'ROUNDS_WORKFLOW_SEMI_SPACE_MB', min: 0, max: 256, integer: true },
};

/** DEFAULT_TUNING with what the environment sets; a value out of range throws one line naming the variable. */
export function tuningFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerTuning {
  const tuning = { ...DEFAULT_TUNING };
  for (const [key, spec] of Object.entries(TUNING_ENV) as [keyof WorkerTuning, (typeof TUNING_ENV)[keyof WorkerTuning]][]) {
    const raw = env[spec.name];
    if (raw === undefined) continue;
    const n = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(n) || (spec.integer && !Number.isInteger(n)) || n < spec.min || n > spec.max) {
      throw new Error(`${spec.name}: expected ${spec.integer ? 'a whole number' : 'a number'} from ${spec.min} to ${spec.max}, got ${JSON.stringify(raw)}`);
    }
    tuning[key] = n;
  }
  return tuning;
}

/** The V8 flags for the workflow thread (set before it starts: V8 reads them when an isolate is made). */
export function workflowThreadV8Flags(t: Pick<WorkerTuning, 'workflowHeapMb' | 'workflowSemiSpaceMb'>): string[] {
  const flags: string[] = [];
  if (t.workflowHeapMb > 0) flags.push(`--max-old-space-size=${t.workflowHeapMb}`);
  if (t.workflowSemiSpaceMb > 0) flags.push(`--max-semi-space-size=${t.workflowSemiSpaceMb}`);
  return flags;
}

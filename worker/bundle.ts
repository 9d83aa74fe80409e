// The workflow bundle: what the worker's V8 sandbox runs. Built with webpack by the SDK; done
// in a child process (`buildWorkflowBundle`), because webpack left ~150 MB in the worker's own
// heap for as long as it ran (measured with `npm run bench`), and the worker lives for weeks.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { COMPILED, PREBUILT_BUNDLE } from './paths';

/**
 * Pure modules the workflow imports, loaded once and shared by every workflow in the worker's
 * reusable V8 context instead of evaluated again for each one (the SDK's `preloadModules`).
 * They keep no per-letter state: the calendar's tables are filled once at load, and luxon's
 * caches are pure functions of their keys. Cut the worker's CPU for a letter's first task by a
 * quarter: 3,000 new letters went from 112 to 135 a second, RSS afterwards from 667 to 535 MB.
 * Must not include workflows/ (it calls proxyActivities). test/replay.test.ts replays the
 * recorded histories against a bundle built with these options.
 */
export const PRELOAD_MODULES = ['luxon', require.resolve('../domain/letter'), require.resolve('../domain/email')];

/** Used by the worker for activities too (Worker.create's dataConverter), and bundled for workflows. */
export const PAYLOAD_CONVERTER_PATH = require.resolve('../workflows/payload-converter');

/** Everything that shapes the bundle; the worker, the tests and the replay tests use exactly this. */
export const BUNDLE_OPTIONS = {
  workflowsPath: require.resolve('../workflows'),
  payloadConverterPath: PAYLOAD_CONVERTER_PATH,
  preloadModules: PRELOAD_MODULES,
} satisfies Omit<BundleOptions, 'logger'>;

/** Builds the bundle in a child process and returns its code (a few hundred kB of JavaScript). */
export async function buildWorkflowBundle(): Promise<{ code: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-bundle-'));
  const out = path.join(dir, 'workflow-bundle.js');
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        // The compiled build runs its own build-bundle.js; the sources need tsx.
        COMPILED ? [require.resolve('./build-bundle'), out] : ['-r', require.resolve('tsx/cjs'), require.resolve('./build-bundle'), out],
        { maxBuffer: 16 * 1024 * 1024 },
        (err, _stdout, stderr) => (err ? reject(new Error(`building the workflow bundle failed:\n${stderr || err.message}`)) : resolve()),
      );
    });
    return { code: fs.readFileSync(out, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a worker runs when not given a bundle: the compiled build's prebuilt one (npm run build
 * made it from this very code), else one built now. The sources never use a prebuilt bundle,
 * so a stale one cannot run in development.
 */
export async function workflowBundleForWorker(): Promise<{ codePath: string } | { code: string }> {
  if (COMPILED && fs.existsSync(PREBUILT_BUNDLE)) return { codePath: PREBUILT_BUNDLE };
  return buildWorkflowBundle();
}

// Child process of buildWorkflowBundle (worker/bundle.ts): bundles the workflows with webpack
// and writes the code to the file named by its argument, then exits with webpack's memory.
import fs from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { BUNDLE_OPTIONS } from './bundle';

async function main(out: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    ...BUNDLE_OPTIONS,
    // webpack's progress lines would only be noise in the worker's log
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: (m) => console.error(m), error: (m) => console.error(m) },
  });
  fs.writeFileSync(out, code);
}

main(process.argv[2]).catch((err) => {
  console.error((err as Error).stack ?? err);
  process.exit(1);
});

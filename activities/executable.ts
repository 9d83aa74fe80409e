// Whether a path is a file this process may run: the Chromium lookup (activities/chromium.ts)
// and the Temporal binaries finder (worker/dev/temporal-binaries.ts) both ask it.
import fs from 'node:fs';

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

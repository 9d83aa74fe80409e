// Where the project is, whether this runs from the TypeScript sources (tsx, development) or
// from the compiled JavaScript in dist/ (npm run build; production and the Docker image).
import fs from 'node:fs';
import path from 'node:path';

/** The folder with package.json above this file: the checkout (or /app in the image). */
export const PROJECT_ROOT = ((): string => {
  for (let dir = path.resolve(__dirname, '..'); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..');
  }
})();

/** True when this code is the compiled build (dist/...js), not the sources run by tsx. */
export const COMPILED = __filename.endsWith('.js');

/** The workflow bundle `npm run build` makes once, so compiled workers need not run webpack. */
export const PREBUILT_BUNDLE = path.join(PROJECT_ROOT, 'dist', 'workflow-bundle.js');

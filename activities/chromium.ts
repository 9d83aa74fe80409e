// Finding Chromium, which prints letters to PDF (activities/letter-pdf.ts): the same places
// scripts/ensure-chromium.js looks for the tests (ROUNDS_CHROMIUM_PATH, then Debian's
// /usr/bin/chromium). That script is not part of the compiled build, hence this copy of its lookup.
import { ChromiumMissingError } from '../domain/errors';
import { isExecutable } from './executable';

export const CHROMIUM_ENV_VAR = 'ROUNDS_CHROMIUM_PATH';
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export const HOW_TO_INSTALL_CHROMIUM =
  `install it (Debian/Ubuntu: apt-get install --no-install-recommends chromium) or set ${CHROMIUM_ENV_VAR} to a Chromium or Chrome binary`;

/** The Chromium binary to use; a ChromiumMissingError that says how to get one otherwise. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CHROMIUM_ENV_VAR];
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new ChromiumMissingError(`${CHROMIUM_ENV_VAR} is ${fromEnv}, which is not an executable file: ${HOW_TO_INSTALL_CHROMIUM}`);
  }
  if (isExecutable(DEFAULT_CHROMIUM_PATH)) return DEFAULT_CHROMIUM_PATH;
  throw new ChromiumMissingError(`Chromium is not installed at ${DEFAULT_CHROMIUM_PATH}: ${HOW_TO_INSTALL_CHROMIUM}`);
}

/** What a worker says at start when it has no Chromium (undefined when it has one). */
export function chromiumWarning(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    findChromium(env);
    return undefined;
  } catch (err) {
    if (!(err instanceof ChromiumMissingError)) throw err;
    return `${err.message}. Letters sent with \`rounds start --send\` (as a PDF attachment) wait, and say so on their timeline, until it is; chases and --send --inline need no Chromium.`;
  }
}

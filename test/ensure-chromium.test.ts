// npm's pretest installs Debian's chromium when it is missing: without recommended packages,
// non-interactively, and quietly unless apt fails. A fake apt-get on PATH records how it was
// called (the real one would install a browser) and "installs" a fake chromium.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '..', 'scripts', 'ensure-chromium.js');

function fakeApt(failInstall: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-apt-'));
  const calls = path.join(dir, 'calls');
  const chromium = path.join(dir, 'chromium');
  const aptGet = [
    '#!/bin/sh',
    `echo "$DEBIAN_FRONTEND $*" >> ${calls}`,
    'echo "Reading package lists..."',
    'echo "Setting up chromium (156.0) ..."',
    failInstall ? 'case "$*" in *install*) echo "E: Unable to locate package chromium" >&2; exit 100;; esac' : '',
    `case "$*" in *install*) printf '#!/bin/sh\\n' > ${chromium}; chmod +x ${chromium};; esac`,
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'apt-get'), aptGet, { mode: 0o755 });
  return { dir, calls, chromium };
}

function ensure(apt: ReturnType<typeof fakeApt>) {
  const code = `require(${JSON.stringify(SCRIPT)}).ensureChromium({ defaultPath: ${JSON.stringify(apt.chromium)}, isRoot: true })`;
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${apt.dir}${path.delimiter}${process.env.PATH}` };
  delete env.ROUNDS_CHROMIUM_PATH;
  return spawnSync(process.execPath, ['-e', code], { env, encoding: 'utf8' });
}

test('a missing chromium is installed without recommended packages, noninteractively, in one line of output', () => {
  const apt = fakeApt(false);
  const r = ensure(apt);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(`ensure-chromium: ${apt.chromium} is missing; installing Debian's chromium package (apt-get, without recommended packages)\n`);
  expect(fs.readFileSync(apt.calls, 'utf8')).toBe('noninteractive -q update\nnoninteractive -q install -y --no-install-recommends chromium\n');
});

test('when apt-get fails, its output is shown with how to install chromium by hand', () => {
  const apt = fakeApt(true);
  const r = ensure(apt);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('apt-get -q install -y --no-install-recommends chromium failed (exit 100):\nReading package lists...');
  expect(r.stderr).toContain('E: Unable to locate package chromium');
  expect(r.stderr).toContain('sudo apt-get install -y --no-install-recommends chromium');
});

test('when chromium is there, the pretest prints nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-'));
  const chromium = path.join(dir, 'chromium');
  fs.writeFileSync(chromium, '#!/bin/sh\n', { mode: 0o755 });
  const r = spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, ROUNDS_CHROMIUM_PATH: chromium }, encoding: 'utf8' });
  expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
});

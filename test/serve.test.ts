// `npm start`'s Temporal dev server: its API and web UI have no sign-in and ignore the
// dashboard's roles, so they must answer on this machine's loopback address only (issue 11
// item 15). Starts the real dev server with the arguments `npm start` gives it, on free ports.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { devServerArgs } from '../client/serve';
import { requireBinary } from '../worker/dev/temporal-binaries';
import { tempDir } from './support/browser';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something accepts a TCP connection at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

test('the arguments bind the API and the UI to 127.0.0.1; ROUNDS_TEMPORAL_UI=0 has no UI at all', () => {
  const args = devServerArgs({ port: 7233, uiPort: 8233, dbFile: '/tmp/t.db', ui: true });
  expect(args.slice(args.indexOf('--ip'), args.indexOf('--ip') + 2)).toEqual(['--ip', '127.0.0.1']);
  expect(args.slice(args.indexOf('--ui-ip'), args.indexOf('--ui-ip') + 2)).toEqual(['--ui-ip', '127.0.0.1']);
  const headless = devServerArgs({ port: 7233, uiPort: 8233, dbFile: '/tmp/t.db', ui: false });
  expect(headless).toContain('--headless');
  expect(headless.some((a) => a.startsWith('--ui-'))).toBe(false);
});

test("the dev server npm start runs answers on 127.0.0.1 and not on this machine's other addresses", async () => {
  const others = Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && !i.internal && i.family === 'IPv4')
    .map((i) => i.address);
  // Other test files start servers on free ports too: a port taken between freePort() and the
  // server's bind makes the dev server exit at once ("address already in use"). Then try new ports,
  // instead of waiting for an exit that has already happened.
  let started: { child: ChildProcess; port: number; uiPort: number; exited: Promise<unknown> } | undefined;
  for (let attempt = 1; !started; attempt++) {
    const port = await freePort();
    const uiPort = await freePort();
    const args = devServerArgs({ port, uiPort, dbFile: path.join(tempDir('rounds-devserver-'), 'temporal.db'), ui: true });
    const child: ChildProcess = spawn(requireBinary('cli'), args, { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const up = await Promise.race([until(() => accepts('127.0.0.1', port), 60_000), exited.then(() => 'exited' as const)]);
    if (up === 'exited') {
      if (attempt === 3) throw new Error(`the dev server exited before accepting connections, three times (ports ${port}, ${uiPort} last)`);
      continue;
    }
    if (!up) child.kill('SIGKILL');
    expect(up).toBe(true);
    started = { child, port, uiPort, exited };
  }
  const { child, port, uiPort, exited } = started;
  try {
    expect(await until(() => accepts('127.0.0.1', uiPort), 30_000)).toBe(true);
    for (const address of others) {
      expect([address, port, await accepts(address, port)]).toEqual([address, port, false]);
      expect([address, uiPort, await accepts(address, uiPort)]).toEqual([address, uiPort, false]);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
});

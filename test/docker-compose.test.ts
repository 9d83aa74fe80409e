// No Docker engine runs here, so docker-compose.yml and the Dockerfile are checked for their
// shape: the services a deployment needs, wired to each other the way the code expects, and
// using the deploy/ files and variables that `npm run test:cluster` runs the real server with.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true });
const env = (service: string): Record<string, string> => compose.services[service].environment;

test('PostgreSQL, the schema, Temporal, its UI, a mail catcher, rounds setup, workers and the dashboard', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['dashboard', 'mail', 'postgresql', 'setup', 'temporal', 'temporal-schema', 'temporal-ui', 'worker']);
  for (const name of ['setup', 'worker', 'dashboard']) {
    const s = compose.services[name];
    expect(env(name).TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env(name).TEMPORAL_NAMESPACE).toBe('rounds');
    expect(env(name).SMTP_URL).toBe('smtp://mail:1025');
    expect(s.build).toBe('.');
  }
  expect(compose.services.setup.command).toEqual(['node', 'bin/rounds.js', 'setup', '--retention', '30d']);
  expect(compose.services.worker.command).toEqual(['node', 'bin/rounds.js', 'worker']);
  expect(compose.services.worker.depends_on.setup.condition).toBe('service_completed_successfully');
  expect(compose.services.dashboard.depends_on.setup.condition).toBe('service_completed_successfully');
  expect(env('dashboard').ROUNDS_WORKER).toBe('0');
  expect(env('dashboard').DATABASE_URL).toBe(`postgresql://temporal:temporal@postgresql:5432/${env('postgresql').POSTGRES_DB}`);
});

test('Temporal and its schema use the deploy/ files the cluster test uses, with variables the template reads', () => {
  const template = read('deploy/temporal-server.yaml');
  const script = read('deploy/setup-schema.sh');
  expect(template.split('\n')[0]).toBe('# enable-template');
  for (const service of ['temporal', 'temporal-schema']) {
    expect(compose.services[service].volumes).toContain('./deploy:/etc/temporal/deploy:ro');
  }
  expect(compose.services['temporal-schema'].entrypoint).toEqual(['sh', '/etc/temporal/deploy/setup-schema.sh']);
  expect(compose.services.temporal.entrypoint.join(' ')).toContain('--config-file /etc/temporal/deploy/temporal-server.yaml --allow-no-auth start');
  expect(env('temporal').DYNAMIC_CONFIG_FILE_PATH).toBe('/etc/temporal/deploy/dynamicconfig.yaml');
  for (const name of Object.keys(env('temporal'))) expect([name, template.includes(`env "${name}"`)]).toEqual([name, true]);
  for (const name of Object.keys(env('temporal-schema'))) expect([name, script.includes(name)]).toEqual([name, true]);
  expect(env('temporal').POSTGRES_SEEDS).toBe('postgresql');
  // The server image and the schema tool are the version the cluster test builds.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { VERSION } = require('../scripts/ensure-temporal-server') as { VERSION: string };
  expect(compose.services.temporal.image).toBe(`temporalio/server:${VERSION.slice(1)}`);
  expect(compose.services['temporal-schema'].image).toBe(`temporalio/admin-tools:${VERSION.slice(1)}`);
  // The cluster test starts the server from the same files.
  const harness = read('worker/dev/cluster.ts');
  for (const f of ["'temporal-server.yaml'", "'dynamicconfig.yaml'", "'setup-schema.sh'"]) expect(harness).toContain(f);
});

test('the image runs the compiled build with NODE_ENV=production, and the commands the services run exist', () => {
  const dockerfile = read('Dockerfile');
  expect(dockerfile).toContain('RUN npm run build');
  expect(dockerfile).toMatch(/ENV .*NODE_ENV=production/);
  expect(dockerfile).toContain('COPY --from=build /app/dist ./dist');
  // Letters sent with --send are printed to PDF by Chromium, into a document store the workers and the dashboard share.
  expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends chromium/);
  for (const name of ['worker', 'dashboard']) {
    expect(env(name).ROUNDS_DOCUMENTS_DIR).toBe('/documents');
    expect(compose.services[name].volumes).toContain('documents:/documents');
  }
  const cli = read('client/commands/service-commands.ts'); // (the CLI's setup, worker and serve commands)
  for (const command of ['setup', 'worker', 'serve']) expect(cli).toContain(`.command('${command}')`);
});

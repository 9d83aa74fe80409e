// No Docker engine runs here, so docker-compose.yml is checked for its shape: the services a
// deployment needs, wired to each other the way the code expects.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const compose = parse(fs.readFileSync(path.join(__dirname, '..', 'docker-compose.yml'), 'utf8'));

test('Temporal on PostgreSQL, its UI, a mail catcher, workers and the dashboard', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['dashboard', 'mail', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
  expect(compose.services.temporal.environment.DB).toBe('postgres12');
  expect(compose.services.temporal.environment.POSTGRES_SEEDS).toBe('postgresql');
  for (const name of ['worker', 'dashboard']) {
    const s = compose.services[name];
    expect(s.environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(s.environment.SMTP_URL).toBe('smtp://mail:1025');
    expect(s.build).toBe('.');
  }
  expect(compose.services.worker.command).toEqual(['node', 'bin/rounds.js', 'worker']);
  expect(compose.services.dashboard.environment.ROUNDS_WORKER).toBe('0');
});

test('the commands the services run exist in the CLI', () => {
  const cli = fs.readFileSync(path.join(__dirname, '..', 'client', 'cli.ts'), 'utf8');
  expect(cli).toContain(".command('worker')");
  expect(cli).toContain(".command('serve')");
});

// Running things: `rounds setup` (prepare a namespace on a cluster), `rounds worker`, `rounds
// serve` (everything locally, `npm start`) and `rounds demo` (a whole round on a time-skipping
// server).
import type { Command } from 'commander';
import type { CliContext } from './cli-context';
import { demoRunner, service, setup } from './lazy';

export function registerService(program: Command, ctx: CliContext): void {
  program
    .command('setup')
    .description('prepare the namespace on a Temporal cluster: create it if missing, register the search attributes, wait until they work (safe to run again)')
    .option('--retention <days>', 'how long finished letters are kept, for a namespace this creates', '30d')
    .action(async (o: { retention: string }) => {
      const { setupNamespace, retentionDays } = setup();
      retentionDays(o.retention); // a bad value is the person's mistake: say so before connecting
      await setupNamespace(ctx.temporalSettings(), { retention: o.retention }, ctx.print);
    });

  program
    .command('worker')
    .description('run a worker (needs SMTP_URL; `rounds serve` runs everything locally instead)')
    .action(async () => {
      const { runWorker } = service();
      ctx.temporalSettings(); // for the message when the namespace is not set up
      await runWorker(ctx.globals(), ctx.print);
    });

  program
    .command('serve')
    .description('run everything locally: Temporal dev server, worker, mail sink and dashboard (npm start)')
    .action(async () => {
      const { serve } = service();
      await serve(ctx.globals(), ctx.print);
    });

  program
    .command('demo [roundDir]')
    .description('run a whole round on a time-skipping server and print what happened, in seconds')
    .action(async (dir: string | undefined) => {
      const { demo } = demoRunner();
      await demo(dir ?? 'examples/vru-2020', ctx.print);
    });
}

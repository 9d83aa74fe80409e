#!/usr/bin/env node
// The `rounds` command. In development it runs the TypeScript sources directly (tsx), so there
// is no build step to forget; `npm test` type-checks them with tsc. With NODE_ENV=production
// (the Docker image, production workers and dashboards) it runs the compiled build in dist/
// (`npm run build`), which starts faster, uses less memory and needs no webpack at run time.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

// `rounds --version` answers before anything else loads (tsx alone takes longer than the 200 ms it should).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
  return;
}

let cli;
if (process.env.NODE_ENV === 'production') {
  const compiled = path.join(__dirname, '..', 'dist', 'client', 'cli.js');
  if (!fs.existsSync(compiled)) {
    process.stderr.write(`rounds: NODE_ENV=production runs the compiled build, and ${compiled} is missing: run \`npm run build\` first (or unset NODE_ENV to run the sources).\n`);
    process.exit(2);
  }
  cli = require(compiled);
} else {
  require('tsx/cjs');
  cli = require('../client/cli.ts');
}
cli.main(process.argv).then((code) => {
  process.exitCode = code;
});

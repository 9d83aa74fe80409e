#!/usr/bin/env node
// The `rounds` command. Runs the TypeScript sources directly (tsx), so there is no build
// step to forget; `npm test` type-checks them with tsc.
'use strict';
require('tsx/cjs');
require('../client/cli.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });

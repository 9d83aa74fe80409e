#!/usr/bin/env node
// `npm run build`: compiles the sources to dist/ (tsc), copies what tsc does not (the
// dashboard's stylesheet), and bundles the workflow code once, with the options the worker
// uses (worker/bundle.ts), into dist/workflow-bundle.js. Compiled workers load that file
// instead of running webpack at every start.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const t0 = Date.now();
fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
for (const asset of ['client/web/style.css']) fs.copyFileSync(path.join(root, asset), path.join(dist, asset));
execFileSync(process.execPath, [path.join(dist, 'worker', 'build-bundle.js'), path.join(dist, 'workflow-bundle.js')], { stdio: 'inherit', cwd: root });
const kb = Math.round(fs.statSync(path.join(dist, 'workflow-bundle.js')).size / 1024);
console.log(`build: dist/ and dist/workflow-bundle.js (${kb} kB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

// pdf.js ships only as ES modules, and jest (on Node 20, without --experimental-vm-modules)
// loads only CommonJS. Node itself loads pdf.js with require() (require(esm), Node 20.19+),
// which is what the CLI and the worker do; for jest, this makes CommonJS copies once with
// esbuild (already installed, under tsx) and maps pdf.js's module names to them.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const FILES = { 'pdf.mjs': 'pdf.cjs', 'pdf.worker.mjs': 'pdf.worker.cjs' };

function pdfjsForJest() {
  const from = path.join(ROOT, 'node_modules', 'pdfjs-dist', 'legacy', 'build');
  const version = require(path.join(ROOT, 'node_modules', 'pdfjs-dist', 'package.json')).version;
  const to = path.join(ROOT, 'node_modules', '.cache', 'pdfjs-cjs', version);
  for (const [src, out] of Object.entries(FILES)) {
    if (fs.existsSync(path.join(to, out))) continue;
    require('esbuild').buildSync({
      entryPoints: [path.join(from, src)],
      outfile: path.join(to, out),
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
      // pdf.js finds its optional helpers (the canvas package) relative to itself.
      define: { 'import.meta.url': '__pdfjsUrl' },
      banner: { js: 'var __pdfjsUrl = require("node:url").pathToFileURL(__filename).href;' },
    });
  }
  return {
    '^pdfjs-dist/legacy/build/pdf\\.mjs$': path.join(to, 'pdf.cjs'),
    '^pdfjs-dist/legacy/build/pdf\\.worker\\.mjs$': path.join(to, 'pdf.worker.cjs'),
  };
}

module.exports = { pdfjsForJest };

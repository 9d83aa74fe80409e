// Publication (issue 14): the generated site in real Chromium: each page shows its content,
// axe-core run in the page finds no WCAG 2.2 A/AA violation, and it works without JavaScript.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { publishSite } from '../client/publish';
import { CHROMIUM_ARGS } from './support/browser';
import { PUBLIC_REASON, scriptedStory } from './support/publication-story';

const { chromiumPath } = require('../scripts/ensure-chromium') as { chromiumPath(): string };
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let out: string;
beforeAll(async () => {
  const story = await scriptedStory();
  out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-pub-browser-')), 'site');
  await publishSite(story.input.rounds, { out, store: story.store, asOf: story.input.asOf });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}, 60_000);
afterAll(async () => browser?.close());

const pages: [string, RegExp][] = [
  ['index.html', /Violence Reduction Units 2026: 5 letters, 3 answered/],
  ['rounds/vru-2026/index.html', /Devon Office of the Police and Crime Commissioner/],
  ['rounds/vru-2026/letters/kent.html', /Problem Profile \/ Strategic Needs Assessment/],
  ['rounds/vru-2026/letters/surrey.html', new RegExp(PUBLIC_REASON.replace(/\./g, '\\.'))],
  ['rounds/vru-2026/letters/sussex.html', /redacted copy/],
  ['rounds/vru-2026/letters/devon.html', /overdue by \d+ working days/],
];

test.each(pages)('%s: its content, and no axe-core violation (WCAG 2.2 A and AA); the site has no script of its own', async (file, content) => {
  // The site has no script of its own; axe is injected by the test only.
  const page = await browser.newPage();
  try {
    await page.goto(pathToFileURL(path.join(out, file)).href);
    expect(await page.locator('main').innerText()).toMatch(content);
    expect(await page.locator('script').count()).toBe(0);
    await page.addScriptTag({ content: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const r = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
    // Every link on the page leads to a file of the site (or an anchor on it).
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    for (const href of hrefs) {
      const target = new URL(href);
      expect(target.protocol).toBe('file:');
      expect(fs.existsSync(decodeURIComponent(target.pathname))).toBe(true);
    }
  } finally {
    await page.close();
  }
});

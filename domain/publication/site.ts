// The published site, planned as a list of files from plain data (after changesets'
// assemble-release-plan: a pure planner, a thin I/O shell around it in client/publish.ts).
// Plain HTML and CSS, no JavaScript; the same input gives byte-identical files (sorted
// everything, no clock unless `stamp` is given).
import { escape, html, join, SafeHtml } from '../html';
import { toCsv } from '../csv';
import type { StoredFile } from '../types';
import { publicRounds, type DocumentOutcome, type Figures, type PublicationInput, type PublicLetter, type PublicRoundData } from './model';
import { ROUND_SCHEMA } from './schema';

export interface SiteOptions {
  /** Absolute links (feed, round.json) start with this, e.g. 'https://office.example.org/requests/'. */
  baseUrl?: string;
  /** A "generated at" time to show and record; none by default, so output is deterministic. */
  stamp?: string;
}

export type SiteFile = { path: string; text: string } | { path: string; document: StoredFile };

export function planSite(input: PublicationInput, options: SiteOptions = {}): SiteFile[] {
  const rounds = publicRounds(input);
  const files: SiteFile[] = [
    { path: 'style.css', text: STYLE },
    { path: 'round.schema.json', text: json(ROUND_SCHEMA) },
    { path: 'index.html', text: indexPage(rounds, input.asOf, options) },
    { path: 'feed.xml', text: feed(rounds, input.asOf, options) },
  ];
  for (const r of rounds) {
    const dir = `rounds/${r.slug}`;
    files.push({ path: `${dir}/index.html`, text: roundPage(r, input.asOf, options) });
    files.push({ path: `${dir}/round.json`, text: json(roundJson(r, input.asOf, options)) });
    files.push({ path: `${dir}/register.csv`, text: registerCsv(r) });
    for (const l of r.letters) {
      files.push({ path: `${dir}/letters/${l.slug}.html`, text: letterPage(r, l, options) });
      for (const f of l.files) files.push({ path: f.path, document: f.file });
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// ---- machine-readable copies ----

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

function link(from: string, to: string, options: SiteOptions): string {
  if (options.baseUrl) return new URL(to, options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`).href;
  const up = from.split('/').length - 1;
  return '../'.repeat(up) + to;
}

function outcomeJson(o: DocumentOutcome): Record<string, unknown> {
  switch (o.status) {
    case 'received':
      return { status: 'received', on: o.on };
    case 'declined':
      return { status: 'declined', on: o.on, ...(o.reason !== undefined ? { reason: o.reason } : {}) };
    case 'overdue':
      return { status: 'overdue', workingDaysOverdue: o.workingDays };
    default:
      return { status: 'outstanding' };
  }
}

export function roundJson(r: PublicRoundData, asOf: string, options: SiteOptions): Record<string, unknown> {
  const from = `rounds/${r.slug}/round.json`;
  return {
    $schema: link(from, 'round.schema.json', options),
    roundId: r.roundId,
    title: r.title,
    asOf,
    ...(options.stamp ? { generatedAt: options.stamp } : {}),
    figures: r.figures,
    byOrganisation: r.byOrganisation,
    letters: r.letters.map((l) => ({
      letterId: l.letterId,
      organisation: l.organisation,
      role: l.role,
      subject: l.subject,
      letterDate: l.letterDate,
      sentOn: l.sentOn,
      state: l.state,
      stateDescription: l.stateDescription,
      dueOn: l.dueOn ?? null,
      chasedOn: l.chasedOn,
      answeredOn: l.answeredOn ?? null,
      answeredInTime: l.answeredInTime ?? null,
      workingDaysToAnswer: l.workingDaysToAnswer ?? null,
      documents: l.documents.map((d) => ({ key: d.key, label: d.label, ...outcomeJson(d.outcome) })),
      files: l.files.map((f) => ({
        id: f.id,
        document: f.document ?? null,
        title: f.title,
        receivedOn: f.receivedOn,
        redacted: f.redacted,
        fromReply: f.fromReply === true,
        name: f.file.name,
        mediaType: f.file.mediaType,
        size: f.file.size,
        sha256: f.file.sha256,
        url: link(from, f.path, options),
      })),
    })),
  };
}

const CSV_HEADER = ['Round', 'Letter', 'Organisation', 'Role', 'Letter date', 'Sent on', 'Due on', 'Chased on', 'Answered on', 'Answered in time', 'Working days to answer', 'State', 'Document', 'Outcome', 'On', 'Working days overdue', 'Published files'];

/** One row per requested document of each letter. */
function registerCsv(r: PublicRoundData): string {
  const rows = r.letters.flatMap((l) =>
    l.documents.map((d) => {
      const o = d.outcome;
      return [
        r.roundId,
        l.letterId,
        l.organisation,
        l.role,
        l.letterDate,
        l.sentOn,
        l.dueOn ?? '',
        l.chasedOn.join(';'),
        l.answeredOn ?? '',
        l.answeredInTime === undefined ? '' : l.answeredInTime ? 'yes' : 'no',
        l.workingDaysToAnswer ?? '',
        l.state,
        d.key,
        o.status,
        o.status === 'received' || o.status === 'declined' ? o.on : '',
        o.status === 'overdue' ? o.workingDays : '',
        l.files.filter((f) => f.document === d.key).map((f) => f.file.name).join(';'),
      ];
    }),
  );
  return toCsv([CSV_HEADER, ...rows]);
}

// ---- the feed: one entry per published response (a document or a decline reason) ----

function feed(rounds: PublicRoundData[], asOf: string, options: SiteOptions): string {
  const entries: { id: string; title: string; updated: string; href: string; summary: string }[] = [];
  for (const r of rounds) {
    for (const l of r.letters) {
      const page = `rounds/${r.slug}/letters/${l.slug}.html`;
      for (const f of l.files) {
        entries.push({
          id: `urn:request-rounds:${r.slug}:${l.slug}:${f.id}`,
          title: `${l.organisation}: ${f.title}${f.redacted ? ' (redacted)' : ''}`,
          updated: `${f.receivedOn}T00:00:00Z`,
          href: link('feed.xml', page, options),
          summary: `Received on ${f.receivedOn} in answer to "${l.subject}".`,
        });
      }
      for (const d of l.documents) {
        if (d.outcome.status !== 'declined' || d.outcome.reason === undefined) continue;
        entries.push({
          id: `urn:request-rounds:${r.slug}:${l.slug}:declined:${d.key}`,
          title: `${l.organisation}: ${d.label} declined`,
          updated: `${d.outcome.on}T00:00:00Z`,
          href: link('feed.xml', page, options),
          summary: `Declined on ${d.outcome.on}: ${d.outcome.reason}`,
        });
      }
    }
  }
  entries.sort((a, b) => (a.updated !== b.updated ? (a.updated < b.updated ? 1 : -1) : a.id < b.id ? -1 : 1));
  const updated = entries[0]?.updated ?? `${asOf}T00:00:00Z`;
  const x = escape;
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>urn:request-rounds:feed:${x(rounds.map((r) => r.slug).join('+'))}</id>`,
    '  <title>Published responses</title>',
    `  <updated>${updated}</updated>`,
    '  <author><name>The office that sent the requests</name></author>',
    `  <link rel="alternate" href="${x(link('feed.xml', 'index.html', options))}"/>`,
    ...(options.baseUrl ? [`  <link rel="self" href="${x(link('feed.xml', 'feed.xml', options))}"/>`] : []),
    ...entries.map((e) =>
      [
        '  <entry>',
        `    <id>${x(e.id)}</id>`,
        `    <title>${x(e.title)}</title>`,
        `    <updated>${e.updated}</updated>`,
        `    <link rel="alternate" href="${x(e.href)}"/>`,
        `    <summary>${x(e.summary)}</summary>`,
        '  </entry>',
      ].join('\n'),
    ),
    '</feed>',
    '',
  ].join('\n');
}

// ---- pages ----

function pageOf(path: string, title: string, body: SafeHtml, options: SiteOptions): string {
  const root = link(path, '', options);
  return (
    html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${root}style.css">
<link rel="alternate" type="application/atom+xml" title="Published responses" href="${root}feed.xml">
</head>
<body>
<header><nav aria-label="Site"><a href="${root}index.html">Published requests</a> · <a href="${root}feed.xml">Feed of responses</a></nav></header>
<main>
${body}
</main>
<footer><p>${options.stamp ? html`Generated at ${options.stamp}. ` : ''}Machine-readable copies: round.json (with its <a href="${root}round.schema.json">JSON Schema</a>) and register.csv for each round.</p></footer>
</body>
</html>
`.value
  );
}

function figuresTable(caption: string, rows: { name: string; f: Figures }[], rowHeader: string): SafeHtml {
  return html`<table>
<caption>${caption}</caption>
<thead><tr><th scope="col">${rowHeader}</th><th scope="col">Letters</th><th scope="col">Answered</th><th scope="col">Answered in time</th><th scope="col">Median working days to answer</th><th scope="col">Chases needed</th></tr></thead>
<tbody>
${rows.map(
  ({ name, f }) =>
    html`<tr><th scope="row">${name}</th><td>${f.letters}</td><td>${f.answered}</td><td>${f.answeredInTime}</td><td>${f.medianWorkingDaysToAnswer ?? '–'}</td><td>${f.chases}</td></tr>
`,
)}</tbody>
</table>`;
}

function indexPage(rounds: PublicRoundData[], asOf: string, options: SiteOptions): string {
  const path = 'index.html';
  return pageOf(
    path,
    'Published requests',
    html`<h1>Published requests</h1>
<p>Each round is one letter to each of several bodies asking for named documents. For each body: when it was written to and chased, and what it sent, declined or has not sent yet (as of ${asOf}).</p>
<ul class="rounds">
${rounds.map((r) => html`<li><a href="${link(path, `rounds/${r.slug}/index.html`, options)}">${r.title}</a>: ${r.figures.letters} letters, ${r.figures.answered} answered</li>
`)}</ul>`,
    options,
  );
}

function outcomeHtml(o: DocumentOutcome): SafeHtml {
  switch (o.status) {
    case 'received':
      return html`received on ${o.on}`;
    case 'declined':
      return html`declined on ${o.on}`;
    case 'overdue':
      return html`<strong>overdue</strong> by ${o.workingDays} working ${o.workingDays === 1 ? 'day' : 'days'}`;
    default:
      return html`outstanding`;
  }
}

function roundPage(r: PublicRoundData, asOf: string, options: SiteOptions): string {
  const path = `rounds/${r.slug}/index.html`;
  return pageOf(
    path,
    r.title,
    html`<h1>${r.title}</h1>
<p>Round <code>${r.roundId}</code>, as of ${asOf}. Download: <a href="${link(path, `rounds/${r.slug}/round.json`, options)}">round.json</a>, <a href="${link(path, `rounds/${r.slug}/register.csv`, options)}">register.csv</a>.</p>
<h2>Figures</h2>
${figuresTable('This round', [{ name: 'All bodies', f: r.figures }], 'Round')}
${figuresTable('By organisation', r.byOrganisation.map((o) => ({ name: o.organisation, f: o })), 'Organisation')}
<h2>Bodies written to</h2>
<table class="register">
<caption>One row per body: dates and what became of each requested document</caption>
<thead><tr><th scope="col">Organisation</th><th scope="col">Addressed to</th><th scope="col">Sent</th><th scope="col">Chased</th><th scope="col">Answered</th><th scope="col">Requested documents</th></tr></thead>
<tbody>
${r.letters.map((l) => registerRow(r, l, path, options))}</tbody>
</table>`,
    options,
  );
}

function registerRow(r: PublicRoundData, l: PublicLetter, path: string, options: SiteOptions): SafeHtml {
  return html`<tr>
<th scope="row"><a href="${link(path, `rounds/${r.slug}/letters/${l.slug}.html`, options)}">${l.organisation}</a></th>
<td>${l.role}</td>
<td>${l.sentOn}</td>
<td>${l.chasedOn.length === 0 ? 'not chased' : join(l.chasedOn, ', ')}</td>
<td>${l.answeredOn ? html`${l.answeredOn}${l.answeredInTime ? ' (in time)' : ' (late)'}` : 'not yet'}</td>
<td><ul>${l.documents.map((d) => html`<li>${d.label}: ${outcomeHtml(d.outcome)}</li>`)}</ul></td>
</tr>
`;
}

function letterPage(r: PublicRoundData, l: PublicLetter, options: SiteOptions): string {
  const path = `rounds/${r.slug}/letters/${l.slug}.html`;
  return pageOf(
    path,
    `${l.organisation}: ${r.title}`,
    html`<p><a href="${link(path, `rounds/${r.slug}/index.html`, options)}">${r.title}</a></p>
<h1>${l.organisation}</h1>
<p>Addressed to: ${l.role || l.organisation}. Letter dated ${l.letterDate}, sent on ${l.sentOn}${l.dueOn ? html`, answer due by ${l.dueOn}` : ''}. ${l.stateDescription}.</p>
<h2>Requested documents</h2>
<table>
<caption>What became of each requested document</caption>
<thead><tr><th scope="col">Document</th><th scope="col">Outcome</th><th scope="col">Published</th></tr></thead>
<tbody>
${l.documents.map((d) => {
  const files = l.files.filter((f) => f.document === d.key);
  return html`<tr><th scope="row">${d.label}</th><td>${outcomeHtml(d.outcome)}${d.outcome.status === 'declined' && d.outcome.reason ? html`<p class="reason">Reason given: ${d.outcome.reason}</p>` : ''}</td><td>${files.length === 0 ? 'nothing published' : fileLinks(files, path, options)}</td></tr>
`;
})}</tbody>
</table>
${(() => {
  const other = l.files.filter((f) => !f.document && !f.fromReply);
  return other.length === 0 ? '' : html`<h2>Other documents received</h2>${fileLinks(other, path, options)}`;
})()}
${(() => {
  const replies = l.files.filter((f) => f.fromReply);
  return replies.length === 0 ? '' : html`<h2>Attachments of replies</h2>${fileLinks(replies, path, options)}`;
})()}
<h2>The letter as sent</h2>
${l.letterHtml !== undefined ? html`<div class="letter">${new SafeHtml(l.letterHtml)}</div>` : html`<p>The letter's text is not published here.</p>`}
<p>Chases: ${l.chasedOn.length === 0 ? 'none' : join(l.chasedOn, ', ')}.</p>`,
    options,
  );
}

function fileLinks(files: PublicLetter['files'], path: string, options: SiteOptions): SafeHtml {
  return html`<ul>${files.map((f) => html`<li><a href="${link(path, f.path, options)}">${f.title}</a> (${f.file.name}, received on ${f.receivedOn}${f.redacted ? ', redacted copy' : ''})</li>`)}</ul>`;
}

const STYLE = `body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1b1b1b; background: #fff; margin: 0 auto; max-width: 72rem; padding: 1rem; }
a { color: #0b4f9c; }
a:focus { outline: 3px solid #ffbf47; }
header, footer { border-color: #767676; border-style: solid; border-width: 0; }
header { border-bottom-width: 1px; padding-bottom: .5rem; }
footer { border-top-width: 1px; margin-top: 2rem; font-size: .9rem; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #767676; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td ul, th ul { margin: 0; padding-left: 1.2rem; }
.letter { border-left: 4px solid #767676; padding-left: 1rem; }
.reason { margin: .25rem 0 0; }
`;

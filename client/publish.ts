// `rounds publish`: the I/O shell around the pure site planner (domain/publication/site.ts).
// It reads each round's letters (one visibility query, then each letter's status), the letter
// texts from the round folder when given, and the published documents from the document
// store; the whole site is written to a temporary folder beside --out and renamed into place,
// so a failure leaves the previous site (or nothing) as it was, never half a site.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { DocumentStore } from '../activities/document-store';
import { localDateOf } from '../domain/calendar';
import type { PublicationInput, StaffMember } from '../domain/publication/model';
import { planSite, type SiteFile, type SiteOptions } from '../domain/publication/site';
import type { LetterStatus, StoredFile } from '../domain/types';
import { NotFoundError, SystemError, UserError } from './errors';
import { letterStatuses } from './export';
import { listLetters, queries } from './queries';
// Static, not import(): tsx runs import() as ESM, which wants file extensions (`rounds publish` failed).
import { updateLetter } from './letters';
import { hasErrors, loadRoundFolder } from './round-folder';
import { formatIssue } from '../domain/round';

export interface PublishOptions extends SiteOptions {
  out: string;
  store: DocumentStore;
  /** The day overdue is counted to; today (Europe/London) by default. */
  asOf?: string;
}

export type RoundData = PublicationInput['rounds'][number];

/** Reads each round's letters from Temporal; UserError for a round with none. */
export async function readRounds(client: Client, roundIds: string[]): Promise<RoundData[]> {
  const rounds: RoundData[] = [];
  for (const roundId of roundIds) {
    const rows = await listLetters(client, queries.roundLetters(roundId));
    if (rows.length === 0) throw new NotFoundError(`no letters in round '${roundId}' (see \`rounds status\` for the rounds there are); nothing was written`);
    const statuses = await letterStatuses(client, rows, { timeoutMs: 30_000 });
    const letters: LetterStatus[] = [];
    for (const row of rows) {
      const s = statuses.get(row.workflowId);
      if (s instanceof Error || s === undefined) throw new SystemError(`${row.workflowId}: its status could not be read (${s?.message ?? 'no answer'}); nothing was written`);
      letters.push(s);
    }
    rounds.push({ roundId, letters });
  }
  return rounds;
}

/** Writes the site for `rounds` to options.out; returns the files written (paths from the site's root). */
export async function publishSite(rounds: RoundData[], options: PublishOptions): Promise<string[]> {
  const out = path.resolve(options.out);
  checkOut(out);
  const input: PublicationInput = { rounds, asOf: options.asOf ?? localDateOf(Date.now(), 'Europe/London') };
  const files = planSite(input, { baseUrl: options.baseUrl, stamp: options.stamp });
  // Every document is checked before anything is written.
  const missing: string[] = [];
  for (const f of files) if ('document' in f && !(await options.store.has(f.document.sha256))) missing.push(`${f.path} (${f.document.sha256})`);
  if (missing.length > 0) {
    throw new UserError(`${missing.length} published ${missing.length === 1 ? 'document is' : 'documents are'} not in the document store (${options.store.dir}): ${missing.join(', ')}; nothing was written`);
  }
  await writeAtomically(out, files, options.store);
  return files.map((f) => f.path);
}

/** Refuses an --out that is a file, or in a folder that does not exist or cannot be written (before anything is read). */
export function checkOut(out: string): void {
  const parent = path.dirname(out);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(out);
  } catch {
    // does not exist yet: fine
  }
  if (stat && !stat.isDirectory()) throw new UserError(`--out ${out}: is a file, not a folder; give a folder (it is created or replaced whole)`);
  if (!fs.existsSync(parent) || !fs.statSync(parent).isDirectory()) throw new UserError(`--out ${out}: the folder it goes in (${parent}) does not exist`);
  try {
    fs.accessSync(parent, fs.constants.W_OK);
  } catch {
    throw new UserError(`--out ${out}: cannot write in ${parent} (permission denied); nothing was written`);
  }
}

/** Adds what the round folders (as given to `rounds start`) say: title, letter texts, staff names to replace. */
export async function withRoundFolders(rounds: RoundData[], dirs: string[]): Promise<RoundData[]> {
  const folders = await loadFolders(dirs);
  for (const id of folders.keys()) {
    if (!rounds.some((r) => r.roundId === id)) throw new UserError(`--round-dir: the folder for round '${id}' was given, but that round is not being published`);
  }
  return rounds.map((r) => ({ ...r, ...(folders.get(r.roundId) ?? {}) }));
}

async function loadFolders(dirs: string[]): Promise<Map<string, Omit<RoundData, 'roundId' | 'letters'>>> {
  const out = new Map<string, Omit<RoundData, 'roundId' | 'letters'>>();
  if (dirs.length === 0) return out;
  for (const dir of dirs) {
    const plan = await loadRoundFolder(dir);
    if (hasErrors(plan)) throw new UserError(`--round-dir ${dir}: ${plan.issues.filter((i) => i.level === 'error').map(formatIssue).join('; ')}`);
    const staff: StaffMember[] = [plan.round.sender, plan.round.coordinator].map((p) => ({ name: p.name, role: p.role ?? 'the office' }));
    const letterHtml: Record<string, string> = {};
    for (const l of plan.letters) if (l.body) letterHtml[l.letterId] = l.body.html;
    out.set(plan.round.id, { title: plan.round.title, staff, letterHtml });
  }
  return out;
}

async function writeAtomically(out: string, files: SiteFile[], store: DocumentStore): Promise<void> {
  const parent = path.dirname(out);
  const tag = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const temp = path.join(parent, `.${path.basename(out)}.tmp-${tag}`);
  const old = path.join(parent, `.${path.basename(out)}.old-${tag}`);
  try {
    try {
      await fs.promises.mkdir(temp);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new UserError(`--out ${out}: cannot write in ${parent} (${code}); nothing was written`);
      throw err;
    }
    for (const f of files) {
      const target = path.join(temp, ...f.path.split('/'));
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      if ('text' in f) await fs.promises.writeFile(target, f.text);
      else await fs.promises.copyFile(store.pathOf(f.document.sha256), target);
    }
    const had = fs.existsSync(out);
    if (had) await fs.promises.rename(out, old);
    try {
      await fs.promises.rename(temp, out);
    } catch (err) {
      if (had) await fs.promises.rename(old, out);
      throw err;
    }
    if (had) await fs.promises.rm(old, { recursive: true, force: true });
  } catch (err) {
    await fs.promises.rm(temp, { recursive: true, force: true });
    if (err instanceof UserError) throw err;
    throw new SystemError(`writing the site to ${out} failed: ${(err as Error).message}; the previous contents are unchanged`);
  }
}

/**
 * `rounds publish --close`: ends the publication window of each published letter that is in
 * one (closeLetter), so its workflow completes; returns the ids closed. A letter that refuses
 * (e.g. its window ended meanwhile) is left as it is.
 */
export async function closePublished(client: Client, rounds: RoundData[], by: string): Promise<{ closed: string[]; refused: string[] }> {
  const closed: string[] = [];
  const refused: string[] = [];
  for (const r of rounds) {
    for (const l of r.letters) {
      if (!l.publicationOpenUntil) continue;
      const id = `${l.roundId}/${l.letterId}`;
      try {
        await updateLetter(client, id, 'closeLetter', { by, reason: 'the round was published and closed (rounds publish --close)' });
        closed.push(id);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        refused.push(`${err.message}`);
      }
    }
  }
  return { closed, refused };
}

const MEDIA_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

/** A file from disk put in the document store, as a letter refers to it (`rounds publication attach`, `--redacted`). */
export async function storeFile(store: DocumentStore, file: string, option: string): Promise<StoredFile> {
  let bytes: Buffer;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) throw new UserError(`${option} ${file}: not a file`);
    if (stat.size === 0) throw new UserError(`${option} ${file}: the file is empty`);
    bytes = await fs.promises.readFile(file);
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${option} ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const ref = await store.put(bytes);
  return { ...ref, name: path.basename(file), mediaType: mediaTypeOf(file) };
}

/** A file's media type from its name's extension (application/octet-stream when unknown). */
export function mediaTypeOf(file: string): string {
  return MEDIA_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

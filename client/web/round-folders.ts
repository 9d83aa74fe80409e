// The round folders a lead can start from the dashboard: the sub-folders (with a round.yaml)
// of the configured folders (WebServerOptions.roundsDirs). A folder is only ever named by
// its own name, which must be one this scan found: no path from a request reaches the file
// system, so '..', '/' and absolute paths lead nowhere.
import fs from 'node:fs';
import path from 'node:path';
import type { LetterPlan, RoundIssue, RoundPlan } from '../../domain/round';
import { loadRoundFolder } from '../round-folder';

/** The names a round folder may have on the dashboard (as in a URL segment). */
const FOLDER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function isFolderName(name: string): boolean {
  return FOLDER_NAME_RE.test(name) && !name.includes('..');
}

export interface RoundFolder {
  /** The folder's own name: how the dashboard refers to it. */
  name: string;
  /** The configured folder it is in. */
  base: string;
  /** base/name. */
  dir: string;
}

export interface RoundFolderScan {
  folders: RoundFolder[];
  /** Configured folders that do not exist (or are not folders). */
  missing: string[];
  /** Round folders not listed: a folder of the same name in an earlier configured folder comes first. */
  shadowed: { folder: RoundFolder; by: RoundFolder }[];
  /** Sub-folders with a round.yaml whose names cannot be used (spaces, leading dot...). */
  badNames: { base: string; name: string }[];
}

/** Every round folder in the configured folders, by name (the first configured folder wins a clash). */
export function scanRoundFolders(roundsDirs: readonly string[]): RoundFolderScan {
  const scan: RoundFolderScan = { folders: [], missing: [], shadowed: [], badNames: [] };
  const byName = new Map<string, RoundFolder>();
  for (const base of roundsDirs) {
    let names: string[];
    try {
      if (!fs.statSync(base).isDirectory()) throw new Error('not a folder');
      names = fs.readdirSync(base).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    } catch {
      scan.missing.push(base);
      continue;
    }
    for (const name of names) {
      const dir = path.join(base, name);
      if (!isRoundFolder(dir)) continue;
      if (!isFolderName(name)) {
        if (!name.startsWith('.')) scan.badNames.push({ base, name });
        continue;
      }
      const folder = { name, base, dir };
      const first = byName.get(name);
      if (first) {
        scan.shadowed.push({ folder, by: first });
        continue;
      }
      byName.set(name, folder);
      scan.folders.push(folder);
    }
  }
  return scan;
}

function isRoundFolder(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory() && fs.statSync(path.join(dir, 'round.yaml')).isFile();
  } catch {
    return false;
  }
}

/** The round folder with this name, if the name is usable and a scan finds it now. */
export function findRoundFolder(roundsDirs: readonly string[], name: string): RoundFolder | undefined {
  if (!isFolderName(name)) return undefined;
  return scanRoundFolders(roundsDirs).folders.find((f) => f.name === name);
}

/**
 * Reads and checks the folder (as `rounds check` does), with file names shown relative to
 * the configured folder ('vru-2020/letters/kent.md'), not as the server's absolute paths.
 */
export async function loadForDisplay(folder: RoundFolder): Promise<RoundPlan> {
  let plan: RoundPlan;
  try {
    plan = await loadRoundFolder(folder.dir);
  } catch (err) {
    return { round: undefined as never, letters: [], issues: [{ level: 'error', file: folder.dir, message: `cannot read: ${(err as Error).message}` }] };
  }
  const prefix = folder.base.endsWith(path.sep) ? folder.base : folder.base + path.sep;
  const rel = (s: string) => (s.startsWith(prefix) ? s.slice(prefix.length) : s);
  const issue = (i: RoundIssue): RoundIssue => ({ ...i, file: rel(i.file) });
  const letter = (l: LetterPlan): LetterPlan => ({
    ...l,
    file: l.file === undefined ? undefined : rel(l.file),
    sources: Object.fromEntries(Object.entries(l.sources).map(([k, v]) => [k, rel(v)])),
  });
  return { ...plan, letters: plan.letters.map(letter), issues: plan.issues.map(issue) };
}

// Reads a round folder (round.yaml, recipients.csv, letters/) and plans its letters.
import fs from 'node:fs';
import path from 'node:path';
import { parseRecipientsCsv, parseRoundYaml, planRound, type LetterInference, type RoundIssue, type RoundPlan } from '../domain/round';
import { scheduleIssues } from '../domain/start';
import { inferFromLetterFile } from './letter-inference';

export const LETTER_EXTENSIONS = ['.md', '.txt', '.html'];

/**
 * Reads and plans a round folder. Every step of every letter is planned on the real calendar
 * (as `rounds start` without --sent-on would start it, at `now`), so a round that cannot run
 * is refused here, before anything starts.
 */
export function loadRoundFolder(dir: string, now: Date = new Date()): RoundPlan {
  const issues: RoundIssue[] = [];
  const rel = (f: string) => path.join(dir, f);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return fail({ level: 'error', file: dir, message: 'no such folder (expected a round folder with round.yaml, letters/ and optionally recipients.csv)' });
  }
  const yamlFile = rel('round.yaml');
  const yamlText = readText(yamlFile, issues);
  if (yamlText === undefined) {
    if (!issues.length) issues.push({ level: 'error', file: yamlFile, message: 'missing: every round folder needs round.yaml (id, title, subject, sender, coordinator, policy)' });
    return failWith(issues);
  }
  const { config, issues: yamlIssues } = parseRoundYaml(yamlText, yamlFile);
  issues.push(...yamlIssues);

  const csvFile = rel('recipients.csv');
  let rows: ReturnType<typeof parseRecipientsCsv>['rows'] = [];
  if (fs.existsSync(csvFile)) {
    const csvText = readText(csvFile, issues);
    if (csvText !== undefined) {
      const parsed = parseRecipientsCsv(csvText, csvFile);
      rows = parsed.rows;
      issues.push(...parsed.issues);
    }
  }

  const inferences = new Map<string, LetterInference>();
  const lettersDir = rel('letters');
  if (fs.existsSync(lettersDir)) {
    for (const name of fs.readdirSync(lettersDir).sort()) {
      const file = path.join(lettersDir, name);
      const ext = path.extname(name).toLowerCase();
      if (!LETTER_EXTENSIONS.includes(ext)) {
        issues.push({ level: 'warning', file, message: `ignored: letters are .md, .txt or .html files` });
        continue;
      }
      const letterId = path.basename(name, path.extname(name));
      if (inferences.has(letterId)) {
        issues.push({ level: 'error', file, message: `duplicate letter id '${letterId}': ${inferences.get(letterId)!.file} has the same name` });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (err) {
        issues.push({ level: 'error', file, message: `cannot read: ${(err as Error).message}` });
        continue;
      }
      inferences.set(letterId, inferFromLetterFile(file, bytes));
    }
  }
  if (!config) return failWith(issues);
  const plan = planRound(config, rows, inferences, csvFile);
  const all = [...issues, ...plan.issues];
  // Planning a letter whose fields are already wrong would only repeat the problem.
  const broken = new Set(all.filter((i) => i.level === 'error').map((i) => i.letterId));
  const plannable = { ...plan, letters: plan.letters.filter((l) => !broken.has(l.letterId)) };
  return { ...plan, issues: [...all, ...scheduleIssues(plannable, now, yamlFile, csvFile)] };
}

function readText(file: string, issues: RoundIssue[]): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return undefined;
    issues.push({ level: 'error', file, message: `cannot read: ${e.message}` });
    return undefined;
  }
}

function fail(issue: RoundIssue): RoundPlan {
  return failWith([issue]);
}

function failWith(issues: RoundIssue[]): RoundPlan {
  return { round: undefined as never, letters: [], issues };
}

export function hasErrors(plan: RoundPlan): boolean {
  return plan.issues.some((i) => i.level === 'error');
}

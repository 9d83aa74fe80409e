// Reads a round folder (round.yaml, recipients.csv, letters/) and plans its letters.
import fs from 'node:fs';
import path from 'node:path';
import { formatBytes } from '../domain/bytes';
import { parseRecipientsCsv, parseRoundYaml, planRound, ROUND_LIMITS, type LetterInference, type RoundIssue, type RoundPlan } from '../domain/round';
import { OFFICE_LIMITS, officeFormatOf } from '../domain/letter-file/office';
import { scheduleIssues } from '../domain/start';
import { inferFromLetterFile } from './letter-inference';

export const LETTER_EXTENSIONS = ['.md', '.txt', '.html', '.docx', '.pdf'];

/**
 * Reads and plans a round folder. Every step of every letter is planned on the real calendar
 * (as `rounds start` without --sent-on would start it, at `now`), so a round that cannot run
 * is refused here, before anything starts.
 */
export async function loadRoundFolder(dir: string, now: Date = new Date()): Promise<RoundPlan> {
  const issues: RoundIssue[] = [];
  const rel = (f: string) => path.join(dir, f);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return fail({ level: 'error', file: dir, message: 'no such folder (expected a round folder with round.yaml, letters/ and optionally recipients.csv)' });
  }
  const yamlFile = rel('round.yaml');
  const yamlText = readText(yamlFile, issues, ROUND_LIMITS.roundYamlBytes, 'round.yaml');
  if (yamlText === undefined) {
    if (!issues.length) issues.push({ level: 'error', file: yamlFile, message: 'missing: every round folder needs round.yaml (id, title, subject, sender, coordinator, policy)' });
    return failWith(issues);
  }
  const { config, issues: yamlIssues } = parseRoundYaml(yamlText, yamlFile);
  issues.push(...yamlIssues);

  const csvFile = rel('recipients.csv');
  let rows: ReturnType<typeof parseRecipientsCsv>['rows'] = [];
  if (fs.existsSync(csvFile)) {
    const csvText = readText(csvFile, issues, ROUND_LIMITS.recipientsCsvBytes, 'recipients.csv');
    if (csvText !== undefined) {
      const parsed = parseRecipientsCsv(csvText, csvFile);
      rows = parsed.rows;
      issues.push(...parsed.issues);
    }
  }

  const inferences = new Map<string, LetterInference>();
  const lettersDir = rel('letters');
  const letterFiles = fs.existsSync(lettersDir) ? fs.readdirSync(lettersDir).sort() : [];
  if (letterFiles.length > ROUND_LIMITS.lettersPerRound) {
    // Not read at all: each could be up to the letter limit.
    issues.push({ level: 'error', file: lettersDir, message: `${letterFiles.length} files: a round has at most ${ROUND_LIMITS.lettersPerRound} letters (split it into several rounds)` });
  } else {
    for (const name of letterFiles) {
      const file = path.join(lettersDir, name);
      const ext = path.extname(name).toLowerCase();
      if (!LETTER_EXTENSIONS.includes(ext)) {
        issues.push({ level: 'warning', file, message: `ignored: letters are .md, .txt, .html, .docx or .pdf files` });
        continue;
      }
      const letterId = path.basename(name, path.extname(name));
      if (inferences.has(letterId)) {
        issues.push({ level: 'error', file, message: `duplicate letter id '${letterId}': ${inferences.get(letterId)!.file} has the same name` });
        continue;
      }
      // Word and PDF letters have their own, larger, limit (their reader checks it again).
      const office = officeFormatOf(name) !== null;
      const bytes = office
        ? readBytes(file, issues, OFFICE_LIMITS.fileBytes, 'a Word or PDF letter')
        : readBytes(file, issues, ROUND_LIMITS.letterFileBytes, 'a letter file');
      if (!bytes) continue;
      inferences.set(letterId, await inferFromLetterFile(file, bytes));
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

/** The file's bytes, or undefined (with an issue) when it is over `limit` or cannot be read; undefined alone when it does not exist. */
function readBytes(file: string, issues: RoundIssue[], limit: number, what: string): Buffer | undefined {
  try {
    const size = fs.statSync(file).size;
    if (size > limit) {
      issues.push({ level: 'error', file, message: `${formatBytes(size)}: over the ${formatBytes(limit)} limit for ${what} (see "A round folder" in the README)` });
      return undefined;
    }
    return fs.readFileSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return undefined;
    issues.push({ level: 'error', file, message: `cannot read: ${e.message}` });
    return undefined;
  }
}

function readText(file: string, issues: RoundIssue[], limit: number, what: string): string | undefined {
  return readBytes(file, issues, limit, what)?.toString('utf8');
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

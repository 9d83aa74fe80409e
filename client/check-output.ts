// What `rounds check` prints (and `rounds start` when the round has errors): every field of
// every letter with where it came from, then the problems. Loaded only by those commands.
import { formatIssue, type RoundPlan } from '../domain/round';
import { terminalLines } from './terminal-format';
import { hasErrors } from './round-folder';

export function checkJson(plan: RoundPlan) {
  return {
    round: plan.round ? { id: plan.round.id, title: plan.round.title, subject: plan.round.subject, policy: plan.round.policy } : null,
    letters: plan.letters,
    issues: plan.issues,
    ok: !hasErrors(plan),
  };
}

export function formatCheck(plan: RoundPlan): string {
  const lines: string[] = [];
  if (plan.round) {
    lines.push(`round ${plan.round.id}: ${plan.round.title}`, `  subject: ${plan.round.subject}`, `  ${plan.letters.length} letter(s)`, '');
    for (const l of plan.letters) {
      const r = l.recipient;
      const src = (f: string) => (l.sources[f] ? `  [${l.sources[f]}]` : '');
      lines.push(
        `${l.letterId}${l.file ? ` (${l.file})` : ''}`,
        `  recipient  ${r.name || '?'}${src('name')}`,
        ...(r.role ? [`  role       ${r.role}${src('role')}`] : []),
        ...(r.organisation ? [`  org        ${r.organisation}${src('organisation')}`] : []),
        `  email      ${r.email || '?'}${src('email')}${r.cc.length ? `; cc ${r.cc.join(', ')}` : ''}`,
        `  date       ${l.letterDate || '?'}${src('letterDate')}`,
        ...(l.address?.length ? [`  address    ${l.address.join(', ')}${src('address')}`] : []),
        ...(r.salutation ? [`  salutation ${r.salutation}${src('salutation')}`] : []),
        `  documents  ${l.documents.join(', ') || '?'}${src('documents')}`,
        ...(l.alreadyPublished.length ? [`  published  ${l.alreadyPublished.join(', ')} (the letter says already published: not requested)`] : []),
        ...(l.publicationRequested !== undefined ? [`  publish    ${l.publicationRequested ? 'the letter asks that the response can be published' : 'no request to publish the response'}`] : []),
        '',
      );
    }
  }
  const errors = plan.issues.filter((i) => i.level === 'error');
  const warnings = plan.issues.filter((i) => i.level === 'warning');
  for (const i of warnings) lines.push(`warning: ${formatIssue(i)}`);
  for (const i of errors) lines.push(`error: ${formatIssue(i)}`);
  lines.push(errors.length ? `${errors.length} error(s): the round cannot be started` : 'ok: the round can be started');
  // Names, addresses and messages come from the round's files: made safe for the terminal.
  return terminalLines(lines);
}

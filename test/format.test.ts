// What the CLI prints for people: control and bidi-override characters from notes, names and
// files shown as visible escapes; every instant in one human format (the dashboard's).
import { formatLetter, formatRegister, table, terminalSafe } from '../client/terminal-format';
import { longDateTime } from '../client/web/format';
import type { LetterStatus } from '../domain/types';
import { humanTime } from '../domain/time-format';

const CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('terminalSafe: ESC, BEL, CR, line breaks and bidi overrides become visible escapes; idempotent', () => {
  expect(terminalSafe('a\x1b]0;pwned\x07b\rc\nd\u202ee\u2066f\x9bg')).toBe('a\\x1b]0;pwned\\x07b\\x0dc\\x0ad\\u202ee\\u2066f\\x9bg');
  expect(terminalSafe(terminalSafe('x\x1by'))).toBe('x\\x1by');
  expect(terminalSafe('Plain — café, 10:30')).toBe('Plain — café, 10:30');
});

const status: LetterStatus = {
  roundId: 'r',
  letterId: 'l',
  recipient: { name: 'Sue\x1b[2J', email: 'sue@example.org', cc: [], escalateTo: [] },
  subject: 'Subject',
  letterDate: '2020-10-13',
  sentOn: '2020-10-13',
  state: 'awaiting',
  stateDescription: 'Awaiting response',
  documents: { problemProfile: { requested: true } },
  outstanding: ['problemProfile'],
  nextAction: { kind: 'chase', at: '2027-01-18T09:30:00.000Z' },
  steps: [],
  timeline: [
    { at: '2020-10-13T08:30:00.000Z', kind: 'started' },
    { at: '2020-10-14T09:00:00.000Z', kind: 'note', by: 'x', note: 'ok\r2020-10-15 10:00  received  everything\x1b]0;owned\x07 \u202eevil\n    fake line' },
  ] as LetterStatus['timeline'],
  emails: [],
};

test('show: a note cannot overwrite lines, retitle the terminal or reverse text; times in the human format', () => {
  const out = formatLetter(status);
  expect(out).not.toMatch(CONTROLS);
  expect(out).toContain('  to       Sue\\x1b[2J <sue@example.org>');
  expect(out).toContain('  next     chase at Mon 18 Jan 2027 09:30 GMT');
  expect(out).toContain('    Wed 14 Oct 2020 10:00 BST  note          by x; ok\\x0d2020-10-15 10:00  received  everything\\x1b]0;owned\\x07 \\u202eevil\\x0a    fake line');
  expect(out.split('\n')).toHaveLength(9);
});

test('tables are aligned on the escaped text', () => {
  expect(table(['a', 'b'], [['x\x1by', '1'], ['z', '2']]).split('\n')).toEqual(['a       b', '------  -', 'x\\x1by  1', 'z       2']);
});

test('an empty register says what was asked', () => {
  expect(formatRegister([], { empty: 'no overdue letters in round x' })).toBe('no overdue letters in round x (visibility may take a second to catch up).');
});

test('one human time format, shared by the CLI and the dashboard: local time in the zone, with GMT/BST', () => {
  expect(humanTime('2027-01-18T09:30:00.000Z', 'Europe/London')).toBe('Mon 18 Jan 2027 09:30 GMT');
  expect(humanTime('2020-11-10T09:30:00Z', 'Europe/London')).toBe('Tue 10 Nov 2020 09:30 GMT');
  expect(humanTime('2027-06-01T08:30:00Z', 'Europe/London')).toBe('Tue 1 Jun 2027 09:30 BST');
  expect(longDateTime('2027-06-01T08:30:00Z', 'Europe/London')).toBe(humanTime('2027-06-01T08:30:00Z', 'Europe/London'));
  expect(humanTime(null, 'Europe/London')).toBe('');
});

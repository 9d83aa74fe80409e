// The register memo a letter's workflow is started with: what it holds, that it stays small,
// and that a memo this code cannot read counts as none (the register then asks the letter).
import path from 'node:path';
import { letterMemo, MEMO_KEY, MEMO_TEXT_MAX, readLetterMemo } from '../client/letter-memo';
import { letterInputs } from '../client/letters';
import { loadRoundFolder } from '../client/round-folder';

let inputs: ReturnType<typeof letterInputs>;
beforeAll(async () => {
  inputs = letterInputs(await loadRoundFolder(path.join(__dirname, '..', 'examples', 'vru-2020')), { delivery: 'record-sent' });
});
const letterInput = () => inputs[0];

test('holds the recipient, letter date and requested documents, and reads back the same', () => {
  const input = letterInput();
  const memo = letterMemo({ ...input, documents: ['responseStrategy', 'problemProfile'] });
  expect(Object.keys(memo)).toEqual([MEMO_KEY]);
  expect(readLetterMemo(memo)).toEqual({
    v: 1,
    recipient: { name: 'Sue Mountstevens', role: 'Avon and Somerset Police and Crime Commissioner', organisation: 'Avon and Somerset Police and Crime Commissioner' },
    letterDate: '2020-10-13',
    documents: ['responseStrategy', 'problemProfile'],
  });
  // No email addresses, salutation, postal address or policy: only what the register shows.
  expect(JSON.stringify(memo)).not.toMatch(/@|Dear|steps/);
});

test('stays a few hundred bytes, even when a recipients.csv cell is long', () => {
  for (const input of inputs) {
    expect(Buffer.byteLength(JSON.stringify(letterMemo(input)))).toBeLessThan(300);
  }
  const long = 'x'.repeat(5000);
  const input = letterInput();
  const memo = letterMemo({ ...input, recipient: { ...input.recipient, name: long, role: long, organisation: long } });
  const read = readLetterMemo(memo)!;
  expect(read.recipient.name).toHaveLength(MEMO_TEXT_MAX);
  expect(read.recipient.name.endsWith('…')).toBe(true);
  expect(Buffer.byteLength(JSON.stringify(memo))).toBeLessThan(700);
});

test('a letter without role or organisation has none in its memo', () => {
  const input = letterInput();
  const memo = readLetterMemo(letterMemo({ ...input, recipient: { ...input.recipient, role: undefined, organisation: '' } }));
  expect(memo?.recipient).toEqual({ name: 'Sue Mountstevens' });
});

test.each([
  ['no memo', undefined],
  ['an empty memo', {}],
  ['another key only', { note: 'x' }],
  ['a format this code does not know', { [MEMO_KEY]: { v: 2, recipient: { name: 'A' }, letterDate: '2020-10-13', documents: [] } }],
  ['no recipient name', { [MEMO_KEY]: { v: 1, recipient: {}, letterDate: '2020-10-13', documents: [] } }],
  ['an unknown document key', { [MEMO_KEY]: { v: 1, recipient: { name: 'A' }, letterDate: '2020-10-13', documents: ['problemProfil'] } }],
  ['a role that is not text', { [MEMO_KEY]: { v: 1, recipient: { name: 'A', role: 3 }, letterDate: '2020-10-13', documents: [] } }],
  ['a string', { [MEMO_KEY]: 'Sue' }],
])('%s reads as no memo', (_what, memo) => {
  expect(readLetterMemo(memo as Record<string, unknown> | undefined)).toBeUndefined();
});

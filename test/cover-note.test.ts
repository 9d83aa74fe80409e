// The covering note of a letter sent as a PDF attachment (domain/cover-note.ts): pure, so tested without a server.
import { COVER_NOTE_PLACEHOLDERS, coverNoteFields, coverNoteProblems, DEFAULT_COVER_NOTE, renderCoverNote } from '../domain/cover-note';

const letter = {
  recipient: { name: 'Sophie Linden', role: 'Deputy Mayor for Policing and Crime', salutation: 'Dear Sophie,' },
  subject: 'Violence Reduction Units: your Problem Profile',
  letterDate: '2020-10-13',
  coordinator: { name: 'April McCoig', role: 'Victims and Partnerships lead', email: 'april.mccoig@iasc.example.org' },
  sender: { name: 'Independent Anti-Slavery Commissioner' },
};

test('the default note: salutation, the letter by date, subject and file name, the coordinator, the sender', () => {
  expect(coverNoteProblems(DEFAULT_COVER_NOTE)).toEqual([]);
  const note = renderCoverNote(undefined, coverNoteFields(letter, 'london.pdf'));
  expect(note.text).toBe(
    'Dear Sophie,\n\nPlease find attached our letter of Tuesday 13 October 2020: "Violence Reduction Units: your Problem Profile" (london.pdf).\n\n' +
      'April McCoig, Victims and Partnerships lead, co-ordinates the responses; a reply to this email reaches them (april.mccoig@iasc.example.org).\n\n' +
      'Yours sincerely,\n\nIndependent Anti-Slavery Commissioner\n',
  );
  expect(note.html.split('\n')[0]).toBe('<p>Dear Sophie,</p>');
});

test('without a salutation it greets by name; a coordinator with no role leaves no stray comma', () => {
  const fields = coverNoteFields({ ...letter, recipient: { name: 'Paddy Tipping' }, coordinator: { name: 'April McCoig', email: 'a@x.example.org' } }, 'n.pdf');
  const note = renderCoverNote(undefined, fields);
  expect(note.text.startsWith('Dear Paddy Tipping,\n')).toBe(true);
  expect(note.text).toContain('April McCoig, co-ordinates');
});

test('values are escaped in the HTML, and line breaks in the template kept', () => {
  const note = renderCoverNote('{salutation}\nRe: {subject}', coverNoteFields({ ...letter, subject: '<b>&</b>' }, 'x.pdf'));
  expect(note.html).toBe('<p>Dear Sophie,<br>\nRe: &lt;b&gt;&amp;&lt;/b&gt;</p>');
});

test('an unknown placeholder, a stray brace or an over-long template is refused, saying which and what is known', () => {
  expect(coverNoteProblems('{salutaton} {Coordinator} {salutaton}')).toEqual([
    `unknown placeholders {salutaton}, {Coordinator} (the placeholders are ${Object.keys(COVER_NOTE_PLACEHOLDERS).map((k) => `{${k}}`).join(', ')})`,
  ]);
  expect(coverNoteProblems('{salutation\nPlease find attached')).toEqual(["a '{' or '}' that is not part of a placeholder like {salutation}"]);
  expect(coverNoteProblems('x'.repeat(4001))).toEqual(['4001 characters: a covering note has at most 4000']);
});

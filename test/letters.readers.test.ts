// The letter's part-readers on their own (domain/letter-file/read-*.ts): small letters,
// worked examples, and bad input with its exact message. parseLetter's tests
// (letters.seeds, letters.robustness, letters.office) cover the readers together.
import { LetterIssues } from '../domain/letter-file/issues';
import { readBody } from '../domain/letter-file/read-body';
import { findDate } from '../domain/letter-file/read-date';
import { readDocuments, reportUnfinished } from '../domain/letter-file/read-documents';
import { readFootnotes } from '../domain/letter-file/read-footnotes';
import { readRecipient, recipientBlock } from '../domain/letter-file/read-recipient';
import { findSalutation } from '../domain/letter-file/read-salutation';
import { linesOfText, type Line } from '../domain/letter-file/text';

/** Lines of a letter given as an array of its lines (line numbers from 1). */
function lines(...text: string[]): Line[] {
  return linesOfText(text.join('\n'));
}

function lineNo(all: Line[], no: number): Line {
  return all.find((l) => l.no === no)!;
}

describe('read-date: findDate', () => {
  test('the date before the salutation, as an ISO date, with high confidence', () => {
    const letter = lines('Dame Sara Thornton', '', '13 October 2020', '', 'Sophie Linden', '', 'Dear Sophie,');
    const issues = new LetterIssues();
    const date = findDate(letter, lineNo(letter, 7), issues);
    expect(date?.inferred).toEqual({ value: '2020-10-13', line: 3, confidence: 'high', source: '13 October 2020' });
    expect(date?.lineObj.no).toBe(3);
    expect(issues.list()).toEqual([]);
  });

  test('two dates before the salutation: the first, medium confidence, and a warning naming both', () => {
    const letter = lines('13 October 2020', '', '14 October 2020', '', 'Dear Sophie,');
    const issues = new LetterIssues();
    const date = findDate(letter, lineNo(letter, 5), issues);
    expect(date?.inferred).toMatchObject({ value: '2020-10-13', line: 1, confidence: 'medium' });
    expect(issues.list()).toEqual([
      { level: 'warning', line: 1, message: 'line 1: two dates found: 13 October 2020 and 14 October 2020 (line 3); using the first' },
    ]);
  });

  test('a day that does not exist is not a date: said on its line, then no date', () => {
    const letter = lines('Dame Sara Thornton', '31 February 2021', '', 'Dear Sophie,');
    const issues = new LetterIssues();
    expect(findDate(letter, lineNo(letter, 4), issues)).toBeUndefined();
    expect(issues.list()).toEqual([
      { level: 'warning', line: 2, message: "line 2: '31 February 2021' looks like a date but no such day exists" },
      { level: 'warning', line: null, message: "no date found (a line such as '13 October 2020' before the salutation)" },
    ]);
  });
});

describe('read-recipient: recipientBlock and readRecipient', () => {
  const head = [
    '13 October 2020', // 1
    '',
    'Sophie Linden', // 3
    'Deputy Mayor for Policing and Crime',
    "Mayor's Office for Policing and Crime",
    '169 Union Street',
    'London',
    'SE1 0LL', // 8
    '',
    'Dear Sophie,', // 10
  ];

  test('name, role, organisation, address and postcode, each on its line', () => {
    const letter = lines(...head);
    const issues = new LetterIssues();
    const block = recipientBlock(letter, lineNo(letter, 1), lineNo(letter, 10), issues);
    expect(block.map((l) => l.no)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(readRecipient(block, issues)).toEqual({
      recipientName: { value: 'Sophie Linden', line: 3, confidence: 'high', source: 'Sophie Linden' },
      role: { value: 'Deputy Mayor for Policing and Crime', line: 4, confidence: 'high', source: 'Deputy Mayor for Policing and Crime' },
      organisation: { value: "Mayor's Office for Policing and Crime", line: 5, confidence: 'high', source: "Mayor's Office for Policing and Crime" },
      address: { value: ['169 Union Street', 'London', 'SE1 0LL'], line: 6, confidence: 'high', source: '169 Union Street, London, SE1 0LL' },
      postcode: { value: 'SE1 0LL', line: 8, confidence: 'high', source: 'SE1 0LL' },
    });
    expect(issues.list()).toEqual([]);
  });

  test('a Police and Crime Commissioner with no organisation line: the role names the organisation', () => {
    const letter = lines('Paddy Tipping', 'Nottinghamshire Police and Crime Commissioner', 'Arnot Hill House', 'Arnold', 'NG5 6LU');
    const issues = new LetterIssues();
    const recipient = readRecipient(letter, issues);
    expect(recipient.organisation).toEqual({
      value: 'Nottinghamshire Police and Crime Commissioner', line: 2, confidence: 'medium', source: 'Nottinghamshire Police and Crime Commissioner',
    });
    expect(recipient.address?.value).toEqual(['Arnot Hill House', 'Arnold', 'NG5 6LU']);
    expect(issues.list()).toEqual([]);
  });

  test('a subject line between the address and "Dear" is stepped over', () => {
    const letter = lines(...head.slice(0, 9), 'Re: Violence Reduction Units', '', 'Dear Sophie,');
    const block = recipientBlock(letter, lineNo(letter, 1), lineNo(letter, 12), new LetterIssues());
    expect(block.map((l) => l.text)).toEqual(head.slice(2, 8));
  });

  test('an address without a postcode, and an address word one letter off another: warned, kept as written', () => {
    const letter = lines('Paddy Tipping', 'Arnot Hill House', 'Arnotd Hill Park', 'Nottingham');
    const issues = new LetterIssues();
    const recipient = readRecipient(letter, issues);
    expect(recipient.address).toMatchObject({ value: ['Arnot Hill House', 'Arnotd Hill Park', 'Nottingham'], confidence: 'low' });
    expect(recipient.postcode).toBeUndefined();
    expect(issues.list()).toEqual([
      { level: 'warning', line: 4, message: 'line 4: no UK postcode in the recipient address; is it complete?' },
      {
        level: 'warning', line: 3,
        message: "line 3: address words 'Arnotd' (in 'Arnotd Hill Park') and 'Arnot' (line 2) differ by one letter: a typo? kept as written",
      },
    ]);
  });

  test('a block that starts with an address: no name, said on the line', () => {
    const issues = new LetterIssues();
    const recipient = readRecipient(lines('169 Union Street', 'London', 'SE1 0LL'), issues);
    expect(recipient.recipientName).toBeUndefined();
    expect(recipient.postcode?.value).toBe('SE1 0LL');
    expect(issues.list()).toEqual([
      { level: 'warning', line: 1, message: "line 1: the recipient block starts with '169 Union Street', not a name; the recipient's name is not known" },
    ]);
  });

  test('no block at all between the date and "Dear": nothing read, one warning', () => {
    const letter = lines('13 October 2020', '', 'Dear Sophie,');
    const issues = new LetterIssues();
    expect(recipientBlock(letter, lineNo(letter, 1), findSalutation(letter), issues)).toEqual([]);
    expect(issues.list()).toEqual([
      { level: 'warning', line: null, message: "no recipient name and address found (expected between the date and 'Dear ...')" },
    ]);
  });
});

describe('read-documents: readDocuments', () => {
  function read(...body: string[]) {
    const issues = new LetterIssues();
    const { sentences, unfinished } = readBody(lines(...body), issues);
    const documents = readDocuments(sentences, issues);
    reportUnfinished(unfinished, documents.request, issues);
    return { documents, issues: issues.list() };
  }

  test('the asking clause requests; the "published" clause before it does not', () => {
    const { documents, issues } = read(
      'Thank you for your help.', // 1
      '',
      'I note that your Strategic Assessment and Response Strategy is published online, however I would welcome any further',
      'updates regarding progress on delivery.', // 4
    );
    const sentence =
      'I note that your Strategic Assessment and Response Strategy is published online, however I would welcome any further updates regarding progress on delivery.';
    expect(documents.documents).toEqual({ value: ['deliveryUpdate'], line: 3, confidence: 'high', source: sentence });
    expect(documents.alreadyPublished).toEqual({ value: ['problemProfile', 'responseStrategy'], line: 3, confidence: 'high', source: sentence });
    expect(documents.requestSentence).toEqual({ value: sentence, line: 3, confidence: 'high', source: sentence });
    expect(documents.request?.endLine).toBe(4);
    expect(issues).toEqual([]);
  });

  test('a request split by a footnote block is read whole, with medium confidence', () => {
    const { documents, issues } = read(
      'I would be grateful if you would share your Problem Profile', // 1
      '',
      '[^1]: Home Office (2019)', // 3
      '',
      'and Response Strategy with my office.', // 5
      '',
      'Text with a mark.[^1]',
    );
    expect(documents.documents).toMatchObject({ value: ['problemProfile', 'responseStrategy'], line: 1, confidence: 'medium' });
    expect(documents.requestSentence?.value).toBe('I would be grateful if you would share your Problem Profile and Response Strategy with my office.');
    expect(issues).toEqual([
      { level: 'warning', line: 1, message: 'line 1: a sentence breaks off here and continues on line 5 after line 3 (a page break?); read as one sentence' },
    ]);
  });

  test('a request cut short: low confidence, one specific warning (not also "paragraph ends mid-sentence")', () => {
    const { documents, issues } = read('I would be grateful if you would share your Problem Profile and your');
    expect(documents.documents).toMatchObject({ value: ['problemProfile'], confidence: 'low' });
    expect(issues).toEqual([
      {
        level: 'warning', line: 1,
        message: "line 1: the request for documents ends without a full stop ('…if you would share your Problem Profile and your'): it may be cut short, and documents named after the cut are missing",
      },
    ]);
  });

  test('documents only mentioned: read as requested, low confidence, with a warning', () => {
    const { documents, issues } = read('The Response Strategy was discussed at the meeting.');
    expect(documents.documents).toEqual({ value: ['responseStrategy'], line: 1, confidence: 'low' });
    expect(documents.requestSentence).toBeUndefined();
    expect(issues).toEqual([
      {
        level: 'warning', line: 1,
        message: "line 1: no sentence asks for documents in a recognised way ('I would be grateful if you would share ...'); Response Strategy read as requested because they are mentioned",
      },
    ]);
  });

  test('everything named is published and nothing else is asked for: an error on the line', () => {
    const { documents, issues } = read('Thank you.', '', 'I note that your Response Strategy is already published online.');
    expect(documents.documents).toEqual({ value: [], line: null, confidence: 'low' });
    expect(issues).toEqual([
      {
        level: 'error', line: 3,
        message: 'line 3: no requested documents found: Response Strategy noted as published, and nothing else is asked for',
      },
    ]);
  });

  test('no document named anywhere: an error naming every document the parser knows', () => {
    const { issues } = read('I look forward to receiving your response.');
    expect(issues).toEqual([
      {
        level: 'error', line: null,
        message: 'no requested documents found: no sentence mentions a Problem Profile / Strategic Needs Assessment, Response Strategy and Updates on progress on delivery',
      },
    ]);
  });
});

describe('read-footnotes: readFootnotes', () => {
  test('notes with their marks, in order: read, no issues', () => {
    const issues = new LetterIssues();
    const notes = readFootnotes(lines('A claim.[^1] Another.[^2]', '', '[^1]: Home Office (2019)', '', '[^2]: IASC (2020)'), issues);
    expect(notes).toEqual([
      { mark: '1', text: 'Home Office (2019)', line: 3 },
      { mark: '2', text: 'IASC (2020)', line: 5 },
    ]);
    expect(issues.list()).toEqual([]);
  });

  test('a mark without its note, a note without its mark, a note written twice', () => {
    const issues = new LetterIssues();
    const notes = readFootnotes(lines('A claim.[^1] Another.[^3]', '', '[^1]: First', '', '[^1]: Again', '', '[^2]: Unmarked'), issues);
    expect(notes.map((n) => n.mark)).toEqual(['1', '1', '2']);
    expect(issues.list().map((i) => i.message)).toEqual([
      'line 5: footnote 1 is written twice (first on line 3); both kept',
      'line 1: footnote 3 is marked here but its text is missing: the letter may be truncated',
      'line 7: footnote 2 has no mark in the text',
    ]);
  });
});

describe('issues: LetterIssues', () => {
  test('at most 40 issues; the 40th says how many more there were', () => {
    const issues = new LetterIssues();
    for (let k = 1; k <= 45; k++) issues.warn(k, `problem ${k}`);
    const list = issues.list();
    expect(list).toHaveLength(40);
    expect(list[38]).toEqual({ level: 'warning', line: 39, message: 'line 39: problem 39' });
    expect(list[39]).toEqual({ level: 'warning', line: null, message: '… and 6 more issues' });
  });
});

// The five seed letters, each field checked against what a person reads in it.
// The letters are the project's own copy (examples/vru-2020/letters), never ../shared.
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { parseLetter, type Inferred, type ParsedLetter } from '../domain/letter-file';

const DIR = join(__dirname, '..', 'examples', 'vru-2020', 'letters');

function parse(file: string): ParsedLetter {
  return parseLetter({ fileName: file, text: readFileSync(join(DIR, file), 'utf8') });
}

/** value and line of an inference (confidence checked separately where it matters). */
function at<T>(i: Inferred<T> | undefined): { value: T; line: number | null } | undefined {
  return i && { value: i.value, line: i.line };
}

const ALL_THREE = ['problemProfile', 'responseStrategy', 'deliveryUpdate'];
const COORDINATOR_EMAIL = 'April.McCoig@iasc.independent.gov.uk';
const SENDER_TITLE = 'Independent Anti-Slavery Commissioner';

const NOTE = {
  1: 'Home Office (2019) Funding for Violence Reduction Units announced',
  2: 'Independent Anti-Slavery Commissioner (2020) IASC Blog: A public health approach to modern slavery',
  3: 'Association of Police and Crime Commissioners (2020) PCCs making a difference: Violence Reduction Units in focus',
  4: 'Independent Anti-Slavery Commissioner (2020) The Modern Slavery Act (2015) Statutory Defence: A call for evidence',
  5: 'Independent Anti-Slavery Commissioner and ECPAT UK (2020) A review of what works in multi-agency decision making and the implications for child victims of trafficking',
};

function footnotes(lines: [number, number, number, number, number]) {
  return ([1, 2, 3, 4, 5] as const).map((n, k) => ({ mark: String(n), text: NOTE[n], line: lines[k] }));
}

const REQUEST_ALL_COMMA =
  'I would therefore be grateful if you would be willing to share with my office a copy of your Problem Profile/Strategic Needs Assessment, Response Strategy and any updates regarding progress on delivery.';
const REQUEST_ALL_SPLIT =
  'I would therefore be grateful if you would be willing to share with my office a copy of your Problem Profile/Strategic Needs Assessment and Response Strategy as well as any updates regarding progress on delivery.';
const PUBLISH =
  'In the interests of transparency, I request that you respond in a way that enables me to publish your letter on my website.';

test('the example round has the five seed letters, named by area', () => {
  expect(readdirSync(DIR).sort()).toEqual(['avon-and-somerset.md', 'kent.md', 'london.md', 'nottinghamshire.md', 'west-midlands.md']);
});

test('London: <sup> footnotes, markdown links and [x](#) stubs, trailing double-space line breaks, bold signature without a name', () => {
  const r = parse('london.md');
  expect(r.format).toBe('md');
  expect(at(r.date)).toEqual({ value: '2020-10-13', line: 3 });
  expect(r.date!.source).toBe('13 October 2020');
  expect(at(r.recipientName)).toEqual({ value: 'Sophie Linden', line: 5 });
  expect(at(r.role)).toEqual({ value: 'Deputy Mayor for Policing and Crime in London', line: 6 });
  expect(at(r.organisation)).toEqual({ value: "The Mayor's Office for Policing and Crime", line: 7 });
  expect(r.organisation!.confidence).toBe('high');
  expect(at(r.address)).toEqual({ value: ['City Hall', "The Queen's Walk", 'London', 'SE1 2AA'], line: 8 });
  expect(r.address!.confidence).toBe('high');
  expect(at(r.postcode)).toEqual({ value: 'SE1 2AA', line: 11 });
  expect(at(r.salutation)).toEqual({ value: 'Dear Sophie,', line: 13 });
  expect(at(r.documents)).toEqual({ value: ALL_THREE, line: 23 });
  expect(r.documents.confidence).toBe('high');
  expect(r.alreadyPublished.value).toEqual([]);
  expect(at(r.requestSentence)).toEqual({ value: REQUEST_ALL_COMMA, line: 23 });
  // The email is a markdown mailto link: the address, not the link syntax.
  expect(at(r.coordinator?.name)).toEqual({ value: 'April McCoig', line: 23 });
  expect(at(r.coordinator?.email)).toEqual({ value: COORDINATOR_EMAIL, line: 23 });
  expect(at(r.coordinator?.role)).toEqual({ value: 'Victims and Partnerships lead', line: 23 });
  expect(r.coordinator!.name.confidence).toBe('high');
  expect(at(r.publicationRequested)).toEqual({ value: true, line: 35 });
  expect(r.publicationRequested.source).toContain(PUBLISH);
  expect(at(r.subject)).toEqual({ value: 'Violence Reduction Units (VRUs)', line: 17 });
  expect(r.sender).toEqual({ title: { value: SENDER_TITLE, line: 41, confidence: 'high', source: SENDER_TITLE } });
  expect(r.footnotes).toEqual(footnotes([27, 29, 31, 45, 47]));
  expect(r.issues).toEqual([
    {
      level: 'warning',
      line: 41,
      message: "line 41: the signature gives a title ('Independent Anti-Slavery Commissioner') but no name; the sender's name is not known",
    },
  ]);
});

test('Avon and Somerset: unicode superscript footnotes, request sentence split by a footnote block, organisation named by the role line', () => {
  const r = parse('avon-and-somerset.md');
  expect(r.format).toBe('md');
  expect(at(r.date)).toEqual({ value: '2020-10-13', line: 3 });
  expect(at(r.recipientName)).toEqual({ value: 'Sue Mountstevens', line: 5 });
  expect(at(r.role)).toEqual({ value: 'Avon and Somerset Police and Crime Commissioner', line: 6 });
  // No office line: a PCC is a corporation sole, the role line names the body.
  expect(r.organisation).toEqual({
    value: 'Avon and Somerset Police and Crime Commissioner', line: 6, confidence: 'medium',
    source: 'Avon and Somerset Police and Crime Commissioner',
  });
  // "Police Headquarters" is a building: the first address line, not the organisation.
  expect(at(r.address)).toEqual({ value: ['Avon and Somerset Police Headquarters', 'Valley Road', 'Portishead', 'Bristol', 'BS20 8JJ'], line: 7 });
  expect(at(r.postcode)).toEqual({ value: 'BS20 8JJ', line: 11 });
  expect(at(r.salutation)).toEqual({ value: 'Dear Sue,', line: 13 });
  // Line 23 ends "... as well as any updates regarding"; footnotes ¹²³ follow (lines
  // 25-29); line 31 goes on "progress on delivery.": one sentence, recovered whole.
  expect(at(r.requestSentence)).toEqual({ value: REQUEST_ALL_SPLIT, line: 23 });
  expect(r.requestSentence!.confidence).toBe('medium');
  expect(at(r.documents)).toEqual({ value: ALL_THREE, line: 23 });
  expect(r.alreadyPublished.value).toEqual([]);
  expect(at(r.coordinator?.name)).toEqual({ value: 'April McCoig', line: 31 });
  expect(at(r.coordinator?.email)).toEqual({ value: COORDINATOR_EMAIL, line: 31 });
  expect(at(r.coordinator?.role)).toEqual({ value: 'Victims and Partnerships lead', line: 31 });
  expect(at(r.publicationRequested)).toEqual({ value: true, line: 35 });
  expect(at(r.subject)).toEqual({ value: 'Violence Reduction Units (VRUs)', line: 17 });
  expect(r.sender).toEqual({ title: { value: SENDER_TITLE, line: 41, confidence: 'high', source: SENDER_TITLE } });
  expect(r.footnotes).toEqual(footnotes([25, 27, 29, 43, 45]));
  expect(r.issues).toEqual([
    {
      level: 'warning', line: 23,
      message: 'line 23: a sentence breaks off here and continues on line 31 after lines 25–29 (a page break?); read as one sentence',
    },
    {
      level: 'warning', line: 41,
      message: "line 41: the signature gives a title ('Independent Anti-Slavery Commissioner') but no name; the sender's name is not known",
    },
  ]);
});

test('Nottinghamshire: sender header block, HTML anchors, mangled <sup>&</sup> marks, address typo, only delivery updates requested', () => {
  const r = parse('nottinghamshire.md');
  expect(r.format).toBe('md');
  expect(at(r.date)).toEqual({ value: '2020-10-13', line: 11 });
  expect(at(r.recipientName)).toEqual({ value: 'Paddy Tipping', line: 13 });
  expect(at(r.role)).toEqual({ value: 'Nottinghamshire Police and Crime Commissioner', line: 14 });
  expect(at(r.organisation)).toEqual({ value: 'Nottinghamshire Police and Crime Commissioner', line: 14 });
  expect(r.organisation!.confidence).toBe('medium');
  // "Arnotd" is kept as written, with a lower confidence and a warning.
  expect(at(r.address)).toEqual({ value: ['Arnot Hill House', 'Arnotd Hill Park', 'Arnold', 'Nottingham', 'NG5 6LU'], line: 15 });
  expect(r.address!.confidence).toBe('medium');
  expect(at(r.postcode)).toEqual({ value: 'NG5 6LU', line: 19 });
  expect(at(r.salutation)).toEqual({ value: 'Dear Paddy,', line: 21 });
  const ask =
    'I note that your Strategic Assessment and Response Strategy is published online, however I would welcome any further updates regarding on progress on delivery.';
  expect(at(r.requestSentence)).toEqual({ value: ask, line: 37 });
  expect(at(r.documents)).toEqual({ value: ['deliveryUpdate'], line: 37 });
  expect(r.documents.confidence).toBe('high');
  expect(at(r.alreadyPublished)).toEqual({ value: ['problemProfile', 'responseStrategy'], line: 37 });
  // The header's email is the sender's office; the coordinator is in the body.
  expect(at(r.coordinator?.name)).toEqual({ value: 'April McCoig', line: 37 });
  expect(at(r.coordinator?.email)).toEqual({ value: COORDINATOR_EMAIL, line: 37 });
  expect(at(r.coordinator?.role)).toEqual({ value: 'Victims and Partnerships lead', line: 37 });
  expect(at(r.publicationRequested)).toEqual({ value: true, line: 41 });
  expect(at(r.subject)).toEqual({ value: 'Violence Reduction Units (VRUs)', line: 25 });
  expect(at(r.sender?.name)).toEqual({ value: 'Dame Sara Thornton DBE QPM', line: 3 });
  expect(at(r.sender?.title)).toEqual({ value: SENDER_TITLE, line: 45 });
  expect(r.sender!.title!.confidence).toBe('high');
  expect(at(r.sender?.email)).toEqual({ value: 'shelley.perera@iasc.independent.gov.uk', line: 9 });
  expect(at(r.sender?.address)).toEqual({ value: '5th Floor, Globe House 89 Eccleston Square London, SW1V 1PN', line: 5 });
  expect(at(r.sender?.telephone)).toEqual({ value: '+44 (0) 20 3513 0477', line: 7 });
  // <sup>&</sup>lt;sup>1</sup> reads as footnote 1; <u> is dropped from the text.
  expect(r.footnotes).toEqual(footnotes([31, 33, 35, 47, 49]));
  expect(r.issues).toEqual([
    {
      level: 'warning', line: 16,
      message: "line 16: address words 'Arnotd' (in 'Arnotd Hill Park') and 'Arnot' (line 15) differ by one letter: a typo? kept as written",
    },
    {
      level: 'warning', line: 31,
      message: "line 31: footnote marks written as broken HTML ('<sup>&</sup>lt;sup>1</sup>') on lines 31, 33, 35, 47 and 49; read as plain footnote numbers",
    },
  ]);
});

test('Kent: an office line of its own, footnotes before the request, unicode superscripts', () => {
  const r = parse('kent.md');
  expect(r.format).toBe('md');
  expect(at(r.date)).toEqual({ value: '2020-10-13', line: 3 });
  expect(at(r.recipientName)).toEqual({ value: 'Matthew Scott', line: 5 });
  expect(at(r.role)).toEqual({ value: 'Kent Police and Crime Commissioner', line: 6 });
  expect(r.organisation).toEqual({
    value: 'Office of the Police and Crime Commissioner', line: 7, confidence: 'high', source: 'Office of the Police and Crime Commissioner',
  });
  expect(at(r.address)).toEqual({ value: ['Kent Police HQ', 'Sutton Road', 'Maidstone', 'ME15 9BZ'], line: 8 });
  expect(at(r.postcode)).toEqual({ value: 'ME15 9BZ', line: 11 });
  expect(at(r.salutation)).toEqual({ value: 'Dear Matthew,', line: 13 });
  expect(at(r.requestSentence)).toEqual({ value: REQUEST_ALL_COMMA, line: 29 });
  expect(r.requestSentence!.confidence).toBe('high');
  expect(at(r.documents)).toEqual({ value: ALL_THREE, line: 29 });
  expect(r.alreadyPublished.value).toEqual([]);
  expect(at(r.coordinator?.name)).toEqual({ value: 'April McCoig', line: 29 });
  expect(at(r.coordinator?.email)).toEqual({ value: COORDINATOR_EMAIL, line: 29 });
  expect(at(r.coordinator?.role)).toEqual({ value: 'Victims and Partnerships lead', line: 29 });
  expect(at(r.publicationRequested)).toEqual({ value: true, line: 33 });
  expect(at(r.subject)).toEqual({ value: 'Violence Reduction Units (VRUs)', line: 17 });
  expect(r.sender).toEqual({ title: { value: SENDER_TITLE, line: 39, confidence: 'high', source: SENDER_TITLE } });
  expect(r.footnotes).toEqual(footnotes([23, 25, 27, 41, 43]));
  expect(r.issues).toEqual([
    {
      level: 'warning', line: 39,
      message: "line 39: the signature gives a title ('Independent Anti-Slavery Commissioner') but no name; the sender's name is not known",
    },
  ]);
});

test('West Midlands: request sentence split by footnotes, four-line address', () => {
  const r = parse('west-midlands.md');
  expect(r.format).toBe('md');
  expect(at(r.date)).toEqual({ value: '2020-10-13', line: 3 });
  expect(at(r.recipientName)).toEqual({ value: 'David Jamieson', line: 5 });
  expect(at(r.role)).toEqual({ value: 'West Midlands Police and Crime Commissioner', line: 6 });
  expect(at(r.organisation)).toEqual({ value: 'West Midlands Police and Crime Commissioner', line: 6 });
  expect(at(r.address)).toEqual({ value: ['Lloyd House', 'Colmore Circus Queensway', 'Birmingham', 'B4 6NQ'], line: 7 });
  expect(at(r.postcode)).toEqual({ value: 'B4 6NQ', line: 10 });
  expect(at(r.salutation)).toEqual({ value: 'Dear David,', line: 12 });
  expect(at(r.requestSentence)).toEqual({ value: REQUEST_ALL_SPLIT, line: 22 });
  expect(at(r.documents)).toEqual({ value: ALL_THREE, line: 22 });
  expect(r.alreadyPublished.value).toEqual([]);
  expect(at(r.coordinator?.name)).toEqual({ value: 'April McCoig', line: 30 });
  expect(at(r.coordinator?.email)).toEqual({ value: COORDINATOR_EMAIL, line: 30 });
  expect(at(r.coordinator?.role)).toEqual({ value: 'Victims and Partnerships lead', line: 30 });
  expect(at(r.publicationRequested)).toEqual({ value: true, line: 34 });
  expect(at(r.subject)).toEqual({ value: 'Violence Reduction Units (VRUs)', line: 16 });
  expect(r.sender).toEqual({ title: { value: SENDER_TITLE, line: 40, confidence: 'high', source: SENDER_TITLE } });
  expect(r.footnotes).toEqual(footnotes([24, 26, 28, 42, 44]));
  expect(r.issues).toEqual([
    {
      level: 'warning', line: 22,
      message: 'line 22: a sentence breaks off here and continues on line 30 after lines 24–28 (a page break?); read as one sentence',
    },
    {
      level: 'warning', line: 40,
      message: "line 40: the signature gives a title ('Independent Anti-Slavery Commissioner') but no name; the sender's name is not known",
    },
  ]);
});

test('every seed: no errors, coordinator and publication as the design says', () => {
  for (const file of readdirSync(DIR)) {
    const r = parse(file);
    expect(r.issues.filter((i) => i.level === 'error')).toEqual([]);
    expect(r.coordinator?.name.value).toBe('April McCoig');
    expect(r.coordinator?.email.value).toBe(COORDINATOR_EMAIL);
    expect(r.publicationRequested.value).toBe(true);
    expect(r.footnotes.map((f) => f.mark)).toEqual(['1', '2', '3', '4', '5']);
  }
});

describe('rewordings the patterns should survive', () => {
  const letter = (body: string) =>
    parseLetter({
      fileName: 'x.txt',
      text: `1st March 2021\n\nJo Bloggs\nExample Police and Crime Commissioner\n1 High Street\nTown\nAB1 2CD\n\nDear Jo,\n\n${body}\n\nYours faithfully,\n\nA Person\nChief Executive\n`,
    });

  test.each([
    ['Please could you send me your Strategic Assessment and your VRU strategy.', ['problemProfile', 'responseStrategy']],
    ['I would welcome a copy of the problem profile, and an update on delivery of the response strategy.', ALL_THREE],
    ['Could you provide updates on implementation progress?', ['deliveryUpdate']],
    ['I request a copy of your Strategic Needs Assessment.', ['problemProfile']],
  ])('%s', (body, docs) => {
    const r = letter(body);
    expect(r.documents.value).toEqual(docs);
    expect(r.date?.value).toBe('2021-03-01');
    expect(r.sender?.name?.value).toBe('A Person');
    expect(r.sender?.title?.value).toBe('Chief Executive');
  });

  test('"already published" in its own sentence, then the request', () => {
    const r = letter('Your Response Strategy is already available on your website. I would be grateful if you could share your Problem Profile.');
    expect(r.documents.value).toEqual(['problemProfile']);
    expect(r.alreadyPublished.value).toEqual(['responseStrategy']);
  });

  test('a coordinator introduced differently', () => {
    const r = letter('Please send your Response Strategy. For any queries please contact our policy lead, Sam Example (sam.example@example.org).');
    expect(r.coordinator?.name.value).toBe('Sam Example');
    expect(r.coordinator?.email.value).toBe('sam.example@example.org');
    expect(r.coordinator?.role?.value).toBe('policy lead');
  });
});

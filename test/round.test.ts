import { parseRecipientsCsv, parseRoundYaml, planRound, formatIssue, type RoundConfig } from '../domain/round';

const yaml = `id: r1
title: A round
subject: Please send documents
letterDate: 2020-10-13
sender: { name: Office, email: office@example.org }
coordinator: { name: Casey, email: casey@example.org }
documents: [problemProfile]
`;

describe('round.yaml', () => {
  test('a good file parses with the default policy', () => {
    const { config, issues } = parseRoundYaml(yaml);
    expect(issues).toEqual([]);
    expect(config!.id).toBe('r1');
    expect(config!.policy.steps.map((s) => s.action)).toEqual(['chase', 'chase', 'escalate', 'close']);
  });

  test.each([
    [yaml.replace('id: r1', 'id: "r 1"'), 'round.yaml, line 1, id: expected letters, digits, dot, dash or underscore, like vru-2020; got "r 1"'],
    [yaml.replace('casey@example.org', 'casey'), 'round.yaml, line 6, coordinator.email: expected an email address like april.mccoig@example.org; got "casey"'],
    [yaml.replace('title: A round\n', ''), 'round.yaml, title: missing'],
    [yaml + 'colour: blue\n', 'round.yaml, line 8, colour: unknown field (expected id, title, subject, letterDate, sentOn, sender, coordinator, documents, policy, coverNote)'],
    [yaml + 'policy:\n  steps:\n    - { after: 20 wrking days, action: chase }\n', "round.yaml, line 10, policy.steps[0].after: expected e.g. '20 working days' or '2 minutes', got '20 wrking days'"],
    [yaml.replace('documents: [problemProfile]', 'documents: [problemProfil]'), 'round.yaml, line 7, documents.0:'],
    ['id: [unclosed', 'round.yaml, line 1: not valid YAML'],
    [yaml.replace('title: A round', 'title: A round\ntitle: Again'), 'round.yaml, line 3: not valid YAML (column 1): Map keys must be unique'],
    [yaml + 'letterdate: 2020-10-13\n', 'round.yaml, line 8, letterdate: unknown field (did you mean letterDate?)'],
    [yaml.replace('office@example.org }', 'office@example.org, emial: x }'), 'round.yaml, line 5, sender.emial: unknown field (did you mean email?) (expected name, email, role)'],
  ])('a bad file is refused with the line and field: %#', (text, message) => {
    const { config, issues } = parseRoundYaml(text);
    expect(config).toBeUndefined();
    expect(issues.map(formatIssue).join('\n')).toContain(message);
  });
});

test('a YAML alias bomb ("billion laughs") is refused with the file and the line of the first alias', () => {
  const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 9; i++) lines.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(', ')}]`);
  const { config, issues } = parseRoundYaml(lines.join('\n'), 'rounds/x/round.yaml');
  expect(config).toBeUndefined();
  expect(issues.map(formatIssue)).toEqual(['rounds/x/round.yaml, line 2: too many aliases: its *references expand into a huge document (a "billion laughs"); a round file needs no aliases']);
});

test('YAML nested too deep for the parser is one error with the file and line, not a crash', () => {
  const { issues } = parseRoundYaml('['.repeat(100_000));
  expect(issues.map(formatIssue)).toEqual([expect.stringMatching(/^round\.yaml, line 1: not valid YAML/)]);
});

describe('recipients.csv', () => {
  test('BOM and CRLF are accepted; unknown columns, duplicates and bad rows are errors with line numbers', () => {
    const csv = '\ufeffletter,email,colour\r\na,a@example.org,red\r\nb,b@example.org,\r\na,again@example.org,\r\n,x@example.org,\r\n';
    const { rows, issues } = parseRecipientsCsv(csv);
    expect(rows.map((r) => [r.letter, r.line, r.values.email])).toEqual([
      ['a', 2, 'a@example.org'],
      ['b', 3, 'b@example.org'],
    ]);
    expect(issues.map(formatIssue)).toEqual([
      "recipients.csv, line 1, column 3: unknown column 'colour'; the columns are letter, email, cc, escalateTo, name, role, organisation, salutation, documents, letterDate, steps",
      "recipients.csv, line 4, letter: duplicate letter id 'a' (also on line 2)",
      'recipients.csv, line 5, letter: empty: every row needs the letter id (the letter file name without extension)',
    ]);
  });

  test.each([
    ['letter,email,escalateto\n', "recipients.csv, line 1, column 3: unknown column 'escalateto' (did you mean escalateTo?)"],
    ['letter,emial\n', "recipients.csv, line 1, column 2: unknown column 'emial' (did you mean email?)"],
    ['letter,email,Escalate To\n', "recipients.csv, line 1, column 3: unknown column 'Escalate To' (did you mean escalateTo?)"],
    ['letter,email,organization\n', "recipients.csv, line 1, column 3: unknown column 'organization' (did you mean organisation?)"],
    ['letter,email,email\n', "recipients.csv, line 1, column 3: 'email' again (it is column 2 too): each column once"],
    ['letter,email,\na,a@example.org,stray\n', "recipients.csv, line 2, column 3: 'stray' is in a column with no name in the header (line 1)"],
  ])('a mis-cased, misspelt, repeated or nameless column is an error, with a suggestion: %j', (csv, message) => {
    const { issues } = parseRecipientsCsv(csv);
    expect(issues.filter((i) => i.level === 'error').map(formatIssue)).toEqual([expect.stringContaining(message)]);
  });

  test("a spreadsheet's empty trailing column is no error", () => {
    expect(parseRecipientsCsv('letter,email,\na,a@example.org,\n').issues).toEqual([]);
  });

  test('no letter column is an error', () => {
    expect(parseRecipientsCsv('email\nx@example.org\n').issues.map(formatIssue)).toEqual([
      "recipients.csv, line 1: no 'letter' column in the header (got email); it names each letter file without extension",
    ]);
  });

  test('the plan: csv wins over the letter, bad emails and document keys are named', () => {
    const config = parseRoundYaml(yaml).config as RoundConfig;
    const { rows } = parseRecipientsCsv('letter,email,name,documents,cc\nkent,pcc@kent.example.org,Matthew Scott,responseStrategy,not-an-email\nlondon,,Sophie,problemProfil,\n');
    const inferences = new Map([['kent', { file: 'letters/kent.md', name: 'Someone Else', email: 'x@kent.example.org', documents: ['problemProfile' as const], issues: [] }]]);
    const plan = planRound(config, rows, inferences);
    const kent = plan.letters.find((l) => l.letterId === 'kent')!;
    expect(kent.recipient.name).toBe('Matthew Scott');
    expect(kent.documents).toEqual(['responseStrategy']);
    expect(kent.sources.name).toBe('recipients.csv line 2');
    expect(plan.issues.map(formatIssue).sort()).toEqual([
      "recipients.csv, line 2, cc: 'not-an-email' is not an email address",
      "recipients.csv, line 3, documents: unknown document key 'problemProfil' (expected problemProfile, responseStrategy, deliveryUpdate, separated by ';')",
      'recipients.csv, line 3, email: no email address for this letter: add it in the email column of recipients.csv',
      "recipients.csv, line 3, letter: no letter file letters/london.(md|txt|html); the row's fields are used alone",
    ]);
  });
});

describe('per-letter policy overrides (recipients.csv steps column)', () => {
  const config = parseRoundYaml(yaml).config as RoundConfig;
  test('a letter can have its own steps; the others keep the round policy', () => {
    const { rows } = parseRecipientsCsv('letter,email,name,steps\na,a@example.org,A,10 working days: chase; 15 working days: close\nb,b@example.org,B,\n');
    const plan = planRound(config, rows, new Map());
    expect(plan.issues).toEqual([]);
    expect(plan.letters[0].policy.steps).toEqual([
      { after: { unit: 'workingDays', days: 10 }, action: 'chase' },
      { after: { unit: 'workingDays', days: 15 }, action: 'close' },
    ]);
    expect(plan.letters[0].policy.sendAt).toBe('09:30');
    expect(plan.letters[1].policy).toBe(config.policy);
  });
  test('a bad steps cell is named with its line', () => {
    const { rows } = parseRecipientsCsv('letter,email,name,steps\na,a@example.org,A,10 wrking days: chase\n');
    expect(planRound(config, rows, new Map()).issues.map(formatIssue)).toEqual([
      "recipients.csv, line 2, steps: steps[0].after: expected e.g. '20 working days' or '2 minutes', got '10 wrking days' (write steps like '20 working days: chase; 40 working days: escalate; 60 working days: close')",
    ]);
  });
});

describe('impossible dates are refused, naming the file and field (issue 11, item 1)', () => {
  test.each([
    [yaml + 'sentOn: 2020-02-30\n', "round.yaml, line 8, sentOn: '2020-02-30' is not a date (February 2020 has 29 days)"],
    [yaml.replace('letterDate: 2020-10-13', 'letterDate: 2021-02-29'), "round.yaml, line 4, letterDate: '2021-02-29' is not a date (February 2021 has 28 days)"],
    [yaml + 'policy:\n  closures: [2021-02-30]\n', "round.yaml, line 9, policy.closures[0]: '2021-02-30' is not a date (February 2021 has 28 days)"],
    [yaml + 'sentOn: 2020-13-01\n', "round.yaml, line 8, sentOn: '2020-13-01' is not a date (there is no month 13)"],
  ])('%#', (text, message) => {
    const { config, issues } = parseRoundYaml(text);
    expect(config).toBeUndefined();
    expect(issues.map(formatIssue)).toEqual([message]);
  });

  test("recipients.csv's letterDate column too", () => {
    const { config } = parseRoundYaml(yaml);
    const { rows } = parseRecipientsCsv('letter,email,name,letterDate\na,a@example.org,Al,2021-02-29\n');
    const plan = planRound(config!, rows, new Map());
    expect(plan.issues.map(formatIssue)).toEqual(["recipients.csv, line 2, letterDate: '2021-02-29' is not a date (February 2021 has 28 days)"]);
  });
});

// The register as CSV: UTF-8 with a BOM, a header row, CRLF, RFC 4180 quoting, ISO dates.
import { UserError } from '../client/errors';
import { csvField, CSV_HEADER, exportRoundCsv, toCsv } from '../client/export';
import { fakeClient } from './support/browser';

test('fields are quoted only when they must be, quotes doubled, formulas defused', () => {
  expect(csvField('plain')).toBe('plain');
  expect(csvField('a,b')).toBe('"a,b"');
  expect(csvField('say "hi"')).toBe('"say ""hi"""');
  expect(csvField('two\nlines')).toBe('"two\nlines"');
  expect(csvField('cr\r')).toBe('"cr\r"');
  expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
  expect(csvField('+44 20')).toBe("'+44 20");
  expect(csvField('@here')).toBe("'@here");
  expect(csvField(undefined)).toBe('');
  expect(csvField(null)).toBe('');
  expect(csvField(3)).toBe('3');
  expect(csvField('Ünïcödé – “quotes”')).toBe('Ünïcödé – “quotes”');
  expect(toCsv([['a', 'b'], ['c,d', '']])).toBe('\uFEFFa,b\r\n"c,d",\r\n');
});

test("a round's register, overdue first, with its recipients and ISO dates", async () => {
  const overdueAt = new Date(Date.now() - 3_600_000).toISOString();
  const laterAt = '2099-11-10T09:30:00.000Z';
  const { client, calls } = fakeClient([
    {
      roundId: 'vru-2020',
      letterId: 'avon-and-somerset',
      state: 'partial',
      nextActionAt: laterAt,
      outstanding: ['responseStrategy', 'deliveryUpdate'],
      status: { recipient: { name: 'Sue Mountstevens', role: 'Police and Crime Commissioner', organisation: 'Avon and Somerset, "PCC"', email: 'pcc@avon.example.org', cc: [], escalateTo: [] } },
    },
    {
      roundId: 'vru-2020',
      letterId: 'west-midlands',
      state: 'chased',
      nextActionAt: overdueAt,
      outstanding: ['problemProfile', 'responseStrategy', 'deliveryUpdate'],
    },
    { roundId: 'vru-2020', letterId: 'kent', state: 'complete', nextActionAt: null, outstanding: [], executionStatus: 'COMPLETED' },
    { roundId: 'other', letterId: 'london', state: 'awaiting', nextActionAt: laterAt, outstanding: ['problemProfile'] },
  ]);
  const csv = await exportRoundCsv(client, 'vru-2020');
  expect(calls.list).toBe(1);
  expect(calls.result).toBe(1); // the finished letter: its result, not a query
  expect(calls.query).toBe(2);

  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv.endsWith('\r\n')).toBe(true);
  const lines = csv.slice(1).split('\r\n').slice(0, -1);
  expect(lines[0]).toBe(CSV_HEADER.join(','));
  expect(lines[0]).toBe(
    'Round,Letter,Workflow id,Recipient,Role,Organisation,Email,State,State description,Letter date,Sent on,Next action,Next action at,Outstanding,' +
      'problemProfile requested,problemProfile received on,problemProfile declined on,' +
      'responseStrategy requested,responseStrategy received on,responseStrategy declined on,' +
      'deliveryUpdate requested,deliveryUpdate received on,deliveryUpdate declined on',
  );
  expect(lines).toEqual([
    lines[0],
    `vru-2020,west-midlands,vru-2020/west-midlands,Recipient of west-midlands,Police and Crime Commissioner,Office of west-midlands,west-midlands@example.org,chased,Chased: reminder sent,2020-10-13,2020-10-13,chase,${overdueAt},problemProfile;responseStrategy;deliveryUpdate,yes,,,yes,,,yes,,`,
    `vru-2020,avon-and-somerset,vru-2020/avon-and-somerset,Sue Mountstevens,Police and Crime Commissioner,"Avon and Somerset, ""PCC""",pcc@avon.example.org,partial,Partly answered: some documents received,2020-10-13,2020-10-13,chase,${laterAt},responseStrategy;deliveryUpdate,yes,2020-11-02,,yes,,,yes,,`,
    'vru-2020,kent,vru-2020/kent,Recipient of kent,Police and Crime Commissioner,Office of kent,kent@example.org,complete,Complete: every requested document received or declined,2020-10-13,2020-10-13,,,,yes,2020-11-02,,yes,2020-11-02,,yes,2020-11-02,',
  ]);
});

test('exporting a round with no letters is a user error', async () => {
  await expect(exportRoundCsv(fakeClient([]).client, 'nope')).rejects.toThrow(UserError);
  await expect(exportRoundCsv(fakeClient([]).client, 'nope')).rejects.toThrow("no letters in round 'nope'");
});

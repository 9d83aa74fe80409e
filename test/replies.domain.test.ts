// The pure rules of replies in: which kind of message it is, which letter it answers.
import {
  classify,
  lettersFromMessageId,
  lettersFromTaggedAddress,
  matchCandidates,
  parseDeliveryStatus,
  RECIPIENT_KEYS_MAX_CHARS,
  recipientKeys,
  senderKeys,
  suggestDocuments,
  taggedAddress,
  withSubjectTag,
} from '../domain/replies';
import { messageIdFor } from '../domain/email';
import { readLetterInput } from '../domain/letter-input';
import { formatIssue, parseRoundYaml } from '../domain/round';
import { letterInput } from './support/temporal';

const REPORT = 'multipart/report; report-type=delivery-status; boundary="x"';
const DSN_FAILED = [
  'Reporting-MTA: dns; mx.example.org',
  'Original-Envelope-Id: <vru-2020.kent.letter@example.gov.uk>',
  '',
  'Final-Recipient: rfc822; pcc@kent.example.org',
  'Original-Recipient: rfc822;PCC@kent.example.org',
  'Action: failed',
  'Status: 5.1.1',
  'Diagnostic-Code: smtp; 550 5.1.1 no such',
  '  user',
].join('\r\n');

const base = { headers: {}, contentType: 'text/plain', subject: 'Re: our letter', from: 'sue@kent.example.org' };

describe('classify', () => {
  test('an RFC 3464 report with Action: failed is a bounce, even though it is also Auto-Submitted', () => {
    const k = classify({ ...base, contentType: REPORT, deliveryStatus: DSN_FAILED, headers: { 'auto-submitted': 'auto-replied' } });
    expect(k).toEqual({
      kind: 'bounce',
      recipients: ['pcc@kent.example.org'],
      reason: 'pcc@kent.example.org: smtp; 550 5.1.1 no such user',
      envelopeId: '<vru-2020.kent.letter@example.gov.uk>',
    });
  });
  test('Action: delayed is only noted', () => {
    const k = classify({ ...base, contentType: REPORT, deliveryStatus: DSN_FAILED.replace('Action: failed', 'Action: delayed') });
    expect(k.kind).toBe('delayed');
  });
  test('X-Failed-Recipients is a bounce', () => {
    expect(classify({ ...base, headers: { 'x-failed-recipients': 'a@b.org, C@d.org' } })).toMatchObject({ kind: 'bounce', recipients: ['a@b.org', 'c@d.org'] });
  });
  test.each([
    [{ 'auto-submitted': 'auto-replied' }, 'Re: x'],
    [{ 'x-autoreply': 'yes' }, 'Re: x'],
    [{ 'x-autorespond': '' }, 'Re: x'],
    [{ precedence: 'auto_reply' }, 'Re: x'],
    [{ precedence: 'bulk' }, 'Re: x'],
    [{}, 'Out of Office: Re: Reminder'],
    [{}, 'Automatic reply: our letter'],
  ])('automatic reply: %j %s', (headers, subject) => {
    expect(classify({ ...base, headers, subject }).kind).toBe('auto-reply');
  });
  test('Auto-Submitted: no and an ordinary subject are a genuine reply', () => {
    expect(classify({ ...base, headers: { 'auto-submitted': 'no' } })).toEqual({ kind: 'reply' });
    expect(classify({ ...base, subject: 'Re: office move [vru-2020/kent]' })).toEqual({ kind: 'reply' });
  });
  test('parseDeliveryStatus reads each recipient group', () => {
    expect(parseDeliveryStatus(DSN_FAILED).recipients).toEqual([
      { recipient: 'pcc@kent.example.org', action: 'failed', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 no such user' },
    ]);
  });
});

describe('matchCandidates', () => {
  const empty = { references: [], to: [], cc: [], deliveredTo: [], subject: 'Re: hello' };
  test('In-Reply-To naming our Message-ID, with dots in the ids: both readings are offered', () => {
    const id = messageIdFor('vru.2020', 'kent', 'step-2', 'april@example.gov.uk');
    expect(lettersFromMessageId(id)).toEqual([
      { roundId: 'vru_2020', letterId: 'kent' },
      { roundId: 'vru.2020', letterId: 'kent' },
    ]);
    expect(lettersFromMessageId(messageIdFor('vru-2020', 'kent', 'letter', 'a@b.org'))).toEqual([{ roundId: 'vru-2020', letterId: 'kent' }]);
    expect(matchCandidates({ ...empty, inReplyTo: id })[1]).toEqual({ roundId: 'vru.2020', letterId: 'kent', by: 'message-id', confidence: 'high' });
  });
  test('a message id that is not ours matches nothing', () => {
    expect(matchCandidates({ ...empty, inReplyTo: '<CAF1234@mail.gmail.com>', references: ['<x@y>'] })).toEqual([]);
  });
  test('a tagged reply-to address, then the subject tag', () => {
    expect(matchCandidates({ ...empty, deliveredTo: ['april+vru-2020.kent@example.gov.uk'] })).toEqual([{ roundId: 'vru-2020', letterId: 'kent', by: 'reply-tag', confidence: 'high' }]);
    expect(matchCandidates({ ...empty, subject: `RE: ${withSubjectTag('Reminder: VRU', 'vru-2020', 'kent')}` })).toEqual([
      { roundId: 'vru-2020', letterId: 'kent', by: 'subject-tag', confidence: 'high' },
    ]);
  });
  test('a bounce matches through the returned original headers', () => {
    const returned = { messageId: '<vru-2020.kent.letter@example.gov.uk>', references: [] };
    expect(matchCandidates({ ...empty, returned })[0]).toMatchObject({ roundId: 'vru-2020', letterId: 'kent', by: 'message-id' });
  });
  test('the sender: low confidence, and only when exactly one open letter has that address or domain', () => {
    const open = [
      { roundId: 'r', letterId: 'kent', emails: ['pcc@kent.example.org'] },
      { roundId: 'r', letterId: 'avon', emails: ['pcc@avon.example.org', 'office@avon.example.org'] },
    ];
    expect(matchCandidates({ ...empty, from: 'PCC@kent.example.org' }, open)).toEqual([{ roundId: 'r', letterId: 'kent', by: 'sender', confidence: 'low' }]);
    expect(matchCandidates({ ...empty, from: 'clerk@kent.example.org' }, open)).toEqual([{ roundId: 'r', letterId: 'kent', by: 'sender', confidence: 'low' }]);
    expect(matchCandidates({ ...empty, from: 'someone@avon.example.org' }, [...open, { roundId: 's', letterId: 'avon', emails: ['x@avon.example.org'] }])).toEqual([]);
  });
});

test('suggestDocuments reads attachment names and text, among the outstanding documents', () => {
  const mail = { attachments: [{ name: 'Kent Problem Profile 2020.pdf', contentType: 'application/pdf', size: 1, sha256: 'x' }], excerpt: 'Our response strategy is attached too.', subject: 'Re: VRU' };
  expect(suggestDocuments(mail, ['problemProfile', 'responseStrategy', 'deliveryUpdate'])).toEqual(['problemProfile', 'responseStrategy']);
  expect(suggestDocuments(mail, ['deliveryUpdate'])).toEqual([]);
});

describe('the sender match and tagged reply-to (what letters are looked up by)', () => {
  test('recipientKeys: every address lower-cased, then each domain except shared mail services, within the search attribute size', () => {
    expect(recipientKeys({ email: 'PCC@Kent.example.org', cc: ['office@kent.example.org', 'someone@gmail.com'], escalateTo: ['ceo@kent-council.example.org'] })).toEqual([
      'pcc@kent.example.org',
      'office@kent.example.org',
      'someone@gmail.com',
      'ceo@kent-council.example.org',
      '@kent.example.org',
      '@kent-council.example.org',
    ]);
    const many = recipientKeys({ email: 'a@x.org', cc: Array.from({ length: 50 }, (_, i) => `${'c'.repeat(300)}${i}@x${i}.org`) });
    expect(many[0]).toBe('a@x.org');
    expect(many.join('').length).toBeLessThanOrEqual(RECIPIENT_KEYS_MAX_CHARS);
  });
  test('senderKeys: no domain for a shared mail service', () => {
    expect(senderKeys('Clerk@Kent.example.org')).toEqual({ address: 'clerk@kent.example.org', domain: '@kent.example.org' });
    expect(senderKeys('someone@gmail.com')).toEqual({ address: 'someone@gmail.com' });
  });
  test('open letters listed with their search attribute keys match by domain through the @domain key', () => {
    const open = [{ roundId: 'r', letterId: 'kent', emails: ['pcc@kent.example.org', '@kent.example.org'] }];
    const empty = { references: [], to: [], cc: [], deliveredTo: [], subject: 'x' };
    expect(matchCandidates({ ...empty, from: 'clerk@kent.example.org' }, open)).toEqual([{ roundId: 'r', letterId: 'kent', by: 'sender', confidence: 'low' }]);
    expect(matchCandidates({ ...empty, from: 'a@gmail.com' }, [{ roundId: 'r', letterId: 'g', emails: ['b@gmail.com'] }])).toEqual([]);
  });
  test('the Message-ID of a resend names its letter', () => {
    expect(lettersFromMessageId(messageIdFor('vru-2020', 'kent', 'resend-2', 'x@example.gov.uk'))).toEqual([{ roundId: 'vru-2020', letterId: 'kent' }]);
  });
  test('a tagged address names its letter; the letter input carries replyTag: plus and refuses anything else', () => {
    expect(lettersFromTaggedAddress(taggedAddress('april@iasc.example.org', 'vru-2020', 'kent'))).toEqual([{ roundId: 'vru-2020', letterId: 'kent' }]);
    const raw = { ...letterInput({ replyTag: 'plus' }) };
    expect(readLetterInput(raw)).toMatchObject({ input: { replyTag: 'plus' }, problems: [] });
    expect(readLetterInput({ ...raw, replyTag: 'minus' }).problems).toEqual(['replyTag: expected plus or nothing, got "minus"']);
  });
  test('round.yaml: coordinator.replyTag is plus or absent, with a clear error', () => {
    const yaml = 'id: r1\ntitle: A round\nsubject: Please send\nsender: { name: Office, email: office@example.org }\ncoordinator: { name: Casey, email: casey@example.org, replyTag: plus }\n';
    expect(parseRoundYaml(yaml).config?.coordinator.replyTag).toBe('plus');
    expect(parseRoundYaml(yaml.replace('replyTag: plus', 'replyTag: yes')).issues.map(formatIssue)).toEqual([
      `round.yaml, line 5, coordinator.replyTag: expected plus (Reply-To: the coordinator's address with +<round>.<letter>), or leave it out; got "yes"`,
    ]);
    expect(parseRoundYaml(yaml.replace('replyTag: plus', 'replytag: plus')).issues.map(formatIssue)).toEqual([
      'round.yaml, line 5, coordinator.replytag: unknown field (did you mean replyTag?) (expected name, email, role, replyTag)',
    ]);
  });
});

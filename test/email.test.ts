import { assertSafeMessage, messageIdFor, renderFollowUp, renderLetterEmail } from '../domain/email';
import { letterInput } from './support/temporal';

describe('emails', () => {
  const input = letterInput({ roundId: 'vru-2020', letterId: 'kent' });

  test('Message-IDs are deterministic per letter and step, and safe', () => {
    expect(messageIdFor('vru-2020', 'kent', 'step-0', 'a@iasc.example.org')).toBe('<vru-2020.kent.step-0@iasc.example.org>');
    expect(messageIdFor('vru 2020', 'k<e>nt', 'letter', 'a@iasc.example.org')).toBe('<vru_2020.k_e_nt.letter@iasc.example.org>');
  });

  test('a chase quotes the letter date and subject, lists only outstanding documents and threads on the letter', () => {
    const m = renderFollowUp(input, 'chase', 0, 1, ['responseStrategy']);
    expect(m.subject).toBe(`Reminder: ${input.subject} (our letter of Tuesday 13 October 2020)`);
    expect(m.text).toContain(`On Tuesday 13 October 2020 we wrote to you ("${input.subject}")`);
    expect(m.text).toContain('  - Response Strategy');
    expect(m.text).not.toContain('  - Problem Profile');
    expect(m.inReplyTo).toBe('<vru-2020.kent.letter@iasc.example.org>');
    expect(m.references).toEqual(['<vru-2020.kent.letter@iasc.example.org>']);
    expect(m.replyTo.email).toBe('april.mccoig@iasc.example.org');
  });

  test('the escalation copies the escalation contacts', () => {
    const m = renderFollowUp(input, 'escalate', 2, 2, ['responseStrategy']);
    expect(m.cc).toEqual(['office@avon-and-somerset.example.org', 'chief-executive@avon-and-somerset.example.org']);
  });

  test('HTML is escaped', () => {
    const m = renderFollowUp({ ...input, recipient: { ...input.recipient, salutation: 'Dear <b>Sue</b>,' } }, 'chase', 0, 1, ['responseStrategy']);
    expect(m.html).toContain('Dear &lt;b&gt;Sue&lt;/b&gt;,');
  });

  test.each([
    ['subject', { subject: 'Hello\r\nBcc: victim@example.org' }],
    ['recipient name via salutation is body only, but a name in From is a header', { sender: { name: 'Office\nBcc: x@example.org', email: 'a@example.org' } }],
    ['to', { recipient: { ...input.recipient, email: 'a@example.org\r\nBcc: b@example.org' } }],
  ])('header injection through %s is refused', (_what, overrides) => {
    const m = renderLetterEmail({ ...input, ...overrides } as never);
    expect(() => assertSafeMessage(m)).toThrow(/contains a line break, which could inject email headers/);
  });
});

import type { TestWorkflowEnvironment } from '@temporalio/testing';
import * as api from '../workflows/letter-api';
import type { letter } from '../workflows/letter';
import type { MailSink } from '../worker/dev/mail-sink';
import { recordHistory } from './support/histories';
import { letterInput, letterWorker, mailSink, parsedMail, timeSkippingEnv } from './support/temporal';

let env: TestWorkflowEnvironment;
let sink: MailSink;

beforeAll(async () => {
  env = await timeSkippingEnv();
  sink = await mailSink();
});
afterAll(async () => {
  await sink?.stop();
  await env?.teardown();
});

test('a letter is chased, partly answered, chased for the rest, escalated, then completed by a late receipt', async () => {
  const { worker, close } = await letterWorker(env, sink);
  const input = letterInput();
  const workflowId = api.workflowIdFor(input.roundId, input.letterId);
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof letter>(api.WORKFLOW_TYPE, {
      taskQueue: api.TASK_QUEUE,
      workflowId,
      args: [input],
      typedSearchAttributes: [{ key: api.RoundId, value: input.roundId }],
    });
    const startedAt = Date.parse((await handle.describe()).startTime.toISOString());

    let s = await handle.query(api.status);
    expect(s.state).toBe('awaiting');
    expect(s.timeline.map((t) => t.kind)).toEqual(['recorded-sent']);
    expect(s.nextAction?.kind).toBe('chase');
    expect(Math.abs(Date.parse(s.nextAction!.at) - (startedAt + 2 * 60_000))).toBeLessThan(1000);

    // Chase 1, at 2 minutes: all three documents outstanding.
    await env.sleep('150s');
    s = await handle.query(api.status);
    expect(s.state).toBe('chased');
    expect(sink.messages).toHaveLength(1);
    let [chase1] = await parsedMail(sink);
    expect(chase1.subject).toBe(`Reminder: ${input.subject} (our letter of Tuesday 13 October 2020) [${input.roundId}/${input.letterId}]`);
    expect(chase1.messageId).toBe(`<${input.roundId}.${input.letterId}.step-0@iasc.example.org>`);
    expect(chase1.inReplyTo).toBe(`<${input.roundId}.${input.letterId}.letter@iasc.example.org>`);
    expect(chase1.references).toBe(`<${input.roundId}.${input.letterId}.letter@iasc.example.org>`);
    expect(chase1.replyTo?.value[0]).toEqual({ address: 'april.mccoig@iasc.example.org', name: 'April McCoig' });
    expect(sink.messages[0].recipients).toEqual(['pcc@avon-and-somerset.example.org', 'office@avon-and-somerset.example.org']);
    expect(chase1.text).toContain('Problem Profile / Strategic Needs Assessment');
    expect(chase1.text).toContain('Response Strategy');
    expect(chase1.text).toContain('Updates on progress on delivery');
    expect(chase1.html).toContain('<li>Response Strategy</li>');
    const chaseEntry = s.timeline.find((t) => t.kind === 'chase')!;
    expect(Date.parse(chaseEntry.at) - startedAt).toBeGreaterThanOrEqual(2 * 60_000);
    expect(Date.parse(chaseEntry.at) - startedAt).toBeLessThan(2 * 60_000 + 10_000);

    // Partial receipt: the Problem Profile arrives.
    const today = new Date().toISOString().slice(0, 10);
    s = await handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['problemProfile'], receivedOn: '2020-10-20', by: 'Staff A' }] });
    expect(s.state).toBe('partial');
    expect(s.documents.problemProfile).toEqual({ requested: true, receivedOn: '2020-10-20', receivedBy: 'Staff A' });
    expect(s.outstanding).toEqual(['responseStrategy', 'deliveryUpdate']);
    // ...and the register's progress memo says so (registers read it from listings, no query).
    // (With what statistics read: sent-on, the first deadline, chases sent; see domain/stats.ts.)
    expect((await handle.describe()).memo?.progress).toEqual({
      next: 'chase',
      answered: { problemProfile: { receivedOn: '2020-10-20' } },
      sentOn: '2020-10-13',
      firstDeadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      chases: 1,
    });

    // Chase 2 lists only the rest.
    await env.sleep('2 minutes');
    expect(sink.messages).toHaveLength(2);
    const chase2 = (await parsedMail(sink))[1];
    expect(chase2.subject).toMatch(/^Second reminder: /);
    expect(chase2.messageId).toBe(`<${input.roundId}.${input.letterId}.step-1@iasc.example.org>`);
    expect(chase2.text).not.toContain('  - Problem Profile');
    expect(chase2.text).toContain('  - Response Strategy');
    expect(chase2.text).toContain('  - Updates on progress on delivery');
    expect(chase2.text).toContain('Thank you for what you have sent so far (Problem Profile / Strategic Needs Assessment)');

    // Escalation at 6 minutes, copied to the escalation contact.
    await env.sleep('2 minutes');
    s = await handle.query(api.status);
    expect(s.state).toBe('escalated');
    expect(sink.messages).toHaveLength(3);
    const escalation = (await parsedMail(sink))[2];
    expect(escalation.subject).toMatch(/^Escalation: /);
    expect(sink.messages[2].recipients).toContain('chief-executive@avon-and-somerset.example.org');
    expect(escalation.text).toContain('  - Response Strategy');

    // A late receipt of the rest completes it; nothing fires after.
    s = await handle.executeUpdate(api.recordReceipt, { args: [{ documents: ['responseStrategy', 'deliveryUpdate'], receivedOn: today }] });
    expect(s.state).toBe('complete');
    expect(s.nextAction).toBeNull();
    const final = await handle.result();
    expect(final.state).toBe('complete');
    expect(final.steps.map((x) => x.status)).toEqual(['done', 'done', 'done', 'cancelled']);
    await env.sleep('10 minutes');
    expect(sink.messages).toHaveLength(3);
    expect(final.timeline.map((t) => t.kind)).toEqual(['recorded-sent', 'chase', 'receipt', 'chase', 'escalation', 'receipt', 'complete']);
    // Every email the workflow recorded is one the SMTP server received, and no other.
    expect(final.emails.map((e) => e.messageId)).toEqual(sink.messages.map((m) => m.messageId));

    // Keep this run's history for the replay test (test/replay.test.ts).
    await recordHistory(handle, 'letter-lifecycle');
  });
  close();
});

// `rounds start --send --inline`: the letter itself is the first email, rendered from its file, and
// the chases thread on it.
import path from 'node:path';
import { letterInputs, startLetters, letterStatus } from '../client/letters';
import { loadRoundFolder } from '../client/round-folder';
import { parsedMail, withLetterWorker } from './support/temporal';

const world = withLetterWorker();

test('the London letter is sent as clean HTML and text with its footnotes; its chase replies to it', async () => {
  const plan = await loadRoundFolder(path.join(__dirname, '..', 'examples', 'vru-2020'));
  const now = new Date(await world.env.currentTimeMs());
  const inputs = letterInputs(plan, { delivery: 'send', inline: true, sentOn: 'now', now })
    .filter((i) => i.letterId === 'london')
    .map((i) => ({ ...i, roundId: `send-${now.getTime()}` }));
  await startLetters(world.env.client, inputs);
  const id = `${inputs[0].roundId}/london`;
  await world.env.sleep('5s');
  let s = await letterStatus(world.env.client, id);
  expect(s.timeline[0]).toMatchObject({ kind: 'sent', to: ['policing@mopac.example.org'] });
  const [letterMail] = await parsedMail(world.sink);
  expect(letterMail.messageId).toBe(`<${inputs[0].roundId}.london.letter@iasc.example.org>`);
  expect(letterMail.subject).toBe(`${plan.round.subject} [${inputs[0].roundId}/london]`);
  expect(world.sink.messages[0].recipients).toEqual(['policing@mopac.example.org', 'vru@mopac.example.org']);
  expect(letterMail.html).toContain('Dear Sophie,');
  expect(letterMail.html).toContain('<sup>1</sup>');
  expect(letterMail.html).not.toMatch(/<script|javascript:/i);
  expect(letterMail.text).toContain('Problem Profile/Strategic Needs Assessment, Response Strategy and any updates regarding progress on delivery');

  await world.env.sleep('50 days'); // 30 working days from 25 November 2026 is 11 January 2027, after Christmas
  s = await letterStatus(world.env.client, id);
  expect(s.emails.map((e) => e.kind)).toEqual(['letter', 'chase', 'chase']);
  const chase = (await parsedMail(world.sink))[1];
  expect(chase.inReplyTo).toBe(letterMail.messageId);
});

// Issue 16, item 4: response statistics on a scripted round, checked against numbers worked out by hand.
import { responseStats, type StatsLetter } from '../domain/stats';

const base = { roundId: 'r1', requested: ['problemProfile', 'responseStrategy'] as StatsLetter['requested'] };
const memo = (answered: NonNullable<StatsLetter['progress']>['answered'], chases: number) => ({ next: null, answered, sentOn: '2020-10-13', firstDeadline: '2020-11-10', chases });
const letters: StatsLetter[] = [
  // A: both on Monday 2 November: 14 working days after 13 October; inside the first deadline.
  { ...base, organisation: 'Kent', state: 'complete', open: false, nextActionAt: null, progress: memo({ problemProfile: { receivedOn: '2020-11-02' }, responseStrategy: { receivedOn: '2020-11-02' } }, 0) },
  // B: 24 November (30 working days) and 1 December (35), after two chases.
  { ...base, organisation: 'Kent', state: 'complete', open: false, nextActionAt: null, progress: memo({ problemProfile: { receivedOn: '2020-11-24' }, responseStrategy: { receivedOn: '2020-12-01' } }, 2) },
  // C: one document on the deadline day (20 working days); next action 24 November, so 5 working days late on 1 December.
  { ...base, organisation: 'Essex', state: 'partial', open: true, nextActionAt: '2020-11-24T09:30:00.000Z', progress: memo({ problemProfile: { receivedOn: '2020-11-10' } }, 1) },
  // D: declined everything within a week: answered (declined) within the first deadline.
  { ...base, organisation: 'Essex', state: 'declined', open: false, nextActionAt: null, progress: memo({ problemProfile: { declinedOn: '2020-10-20' }, responseStrategy: { declinedOn: '2020-10-20' } }, 0) },
  { ...base, organisation: 'Essex', state: 'withdrawn', open: false, nextActionAt: null, progress: memo({}, 0) },
  // F: nothing yet, chased once, next action still ahead.
  { ...base, organisation: 'Essex', state: 'chased', open: true, nextActionAt: '2020-12-08T09:30:00.000Z', progress: memo({}, 1) },
];

test('per round', () => {
  expect(responseStats(letters, (l) => l.roundId, '2020-12-01')).toEqual([
    {
      group: 'r1', letters: 6, answeredInFull: 2, answeredInPart: 1, declined: 1, unanswered: 1, withdrawn: 1,
      answeredWithinFirstDeadline: 2,
      medianWorkingDaysTo: { problemProfile: 20, responseStrategy: 24.5 }, // (14, 20, 30) and (14, 35)
      chases: 4, medianChasesToFull: 1, // (0, 2)
      overdueNow: 1, overdueWorkingDays: { median: 5, max: 5 },
    },
  ]);
});

test('per organisation, across rounds', () => {
  const other = { ...letters[0], roundId: 'r2', progress: { ...letters[0].progress!, chases: 3 } };
  const [essex, kent] = responseStats([...letters, other], (l) => l.organisation, '2020-12-01');
  expect(essex).toMatchObject({ group: 'Essex', letters: 4, answeredInFull: 0, answeredInPart: 1, declined: 1, unanswered: 1, withdrawn: 1, answeredWithinFirstDeadline: 1, chases: 2, medianChasesToFull: null, overdueNow: 1 });
  expect(essex.medianWorkingDaysTo).toEqual({ problemProfile: 20, responseStrategy: null });
  expect(kent).toMatchObject({ group: 'Kent', letters: 3, answeredInFull: 3, chases: 5, medianChasesToFull: 2, overdueNow: 0, overdueWorkingDays: { median: null, max: null } });
  expect(kent.medianWorkingDaysTo).toEqual({ problemProfile: 14, responseStrategy: 14 }); // (14, 14, 30) and (14, 14, 35)
});

// Every state a letter can be in, listed once with the words people see (after
// Alaveteli's InfoRequest::State). The CLI and dashboard only ever show these descriptions.
export const LETTER_STATES = {
  awaiting: 'Awaiting response',
  partial: 'Partly answered: some documents received',
  chased: 'Chased: reminder sent',
  escalated: 'Escalated',
  complete: 'Complete: every requested document received or declined',
  declined: 'Declined',
  unanswered: 'Closed as unanswered',
  withdrawn: 'Withdrawn',
  paused: 'Paused: chasing stopped',
  'needs-attention': 'Needs attention: its steps cannot go on until someone fixes it',
  undeliverable: 'Undeliverable: the letter bounced; correct the address to send it again',
} as const;

export type LetterState = keyof typeof LETTER_STATES;

/** States after which nothing more happens to a letter (its workflow has finished). */
export const FINAL_STATES: readonly LetterState[] = ['complete', 'declined', 'unanswered', 'withdrawn'];

export function isLetterState(s: unknown): s is LetterState {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(LETTER_STATES, s);
}

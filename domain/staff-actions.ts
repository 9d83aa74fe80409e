// The seven things staff record on a letter, named once. Each has the workflow update that
// carries it (workflows/letter-api.ts defines its updates from these names), the `rounds`
// command that sends it (client/commands/staff-action-commands.ts) and the dashboard form
// (client/web/letter-view.ts LETTER_FORMS, POST /letters/:roundId/:letterId/<action>), whose
// name is the action's own.
// The update names are recorded in every letter's history: never change them.
export const STAFF_ACTIONS = {
  receipt: { update: 'recordReceipt', command: 'receive', describe: 'record receipt of documents' },
  decline: { update: 'recordDecline', command: 'decline', describe: 'record that the recipient declined (some documents, or all outstanding ones)' },
  extend: { update: 'extendDeadline', command: 'extend', describe: 'move the remaining steps later: to a date, or by working days' },
  pause: { update: 'pause', command: 'pause', describe: 'stop chasing until resumed' },
  resume: { update: 'resume', command: 'resume', describe: 'resume chasing; the remaining steps move later by the working days paused' },
  withdraw: { update: 'withdraw', command: 'withdraw', describe: 'withdraw the letter: nothing more is sent' },
  note: { update: 'addNote', command: 'note', describe: "add a note to the letter's timeline" },
} as const;

export type StaffAction = keyof typeof STAFF_ACTIONS;

/** The actions in the order the dashboard offers them. */
export const STAFF_ACTION_NAMES = Object.keys(STAFF_ACTIONS) as StaffAction[];

// The dashboard's deadlines area (issue 16):
//   GET  /calendar                      a closure for leads: from, to, reason, one round or all
//   POST /calendar                      step=preview: what each open letter would do (query calendarPreview, nothing changes)
//                                       step=apply: each letter's changeCalendar update, then the per-letter report
//   POST /rounds/:roundId/actions       the register's checkboxes + one form (staff and leads):
//                                       step=review: the confirmation (a dry run), step=apply: each letter's own update, the report
//   GET  /organisations/:name           an organisation's response statistics across rounds, and its letters
// Letters are listed from visibility (client/round-actions.ts); each is changed only through its
// own update, so one that refuses is reported and the rest go on, as with the CLI.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { responseStats } from '../../domain/stats';
import type { ExtendPayload, LetterStatus, NotePayload, PausePayload, ResumePayload, WithdrawPayload } from '../../domain/types';
import { UserError } from '../errors';
import type { PayloadOf, Updates } from '../letters';
import { listLetters, queries, type LetterRow } from '../queries';
import { applyToLetters, applyToRows, calendarMessage, closurePayload, openLetters, previewCalendar, statsLetters, type Outcome } from '../round-actions';
import { CAN_RECORD } from '../users';
import { list, pageContext, send, sendError, str, type AreaOptions, type Body, type Web } from './context';
import {
  calendarPage,
  organisationPage,
  ROUND_ACTIONS,
  roundActionsPage,
  type CalendarForm,
  type RoundAction,
  type RoundActionForm,
} from './deadlines-view';
import { longDateTime, todayIn } from './format';
import { stateLabel } from './views';

const isRoundAction = (s: string): s is RoundAction => (ROUND_ACTIONS as readonly string[]).includes(s);

export const deadlinesRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
  const { client, tz } = web;

  const roundIds = async () => [...new Set((await listLetters(client, queries.allLetters())).map((r) => r.roundId))].sort();

  app.get('/calendar', async (req, reply) => {
    if (req.signedIn?.role !== 'lead') return notLead(web, req, reply);
    return send(reply, 200, calendarPage(pageContext(web, req, reply), { rounds: await roundIds(), form: { from: '', to: '', reason: '', round: '' } }));
  });

  app.post('/calendar', async (req, reply) => {
    if (req.signedIn?.role !== 'lead') return notLead(web, req, reply);
    const b = (req.body ?? {}) as Body;
    const form: CalendarForm = { from: str(b.from).trim(), to: str(b.to).trim(), reason: str(b.reason).trim(), round: str(b.round).trim() };
    const rounds = await roundIds();
    let payload;
    try {
      if (form.round && !rounds.includes(form.round)) throw new UserError(`round: there is no round '${form.round}'`);
      payload = closurePayload(form.from, form.to || undefined, form.reason, req.signedIn.user);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      const error = err.message.replace(/^<(from|to)>/, (_m, f: string) => (f === 'from' ? 'From' : 'To')).replace(/^--reason/, 'Reason');
      return send(reply, 422, calendarPage(pageContext(web, req, reply), { rounds, form, error }));
    }
    const letters = await openLetters(client, form.round || undefined);
    const ids = letters.map((l) => l.workflowId);
    if (str(b.step) === 'apply') {
      const report = await applyToLetters(client, ids, 'changeCalendar', payload, { describe: calendarMessage });
      return send(reply, 200, calendarPage(pageContext(web, req, reply), { rounds, form, report }));
    }
    const preview = await previewCalendar(client, ids, payload);
    return send(reply, 200, calendarPage(pageContext(web, req, reply), { rounds, form, preview }));
  });

  app.post('/rounds/:roundId/actions', async (req, reply) => {
    const { roundId } = req.params as { roundId: string };
    const user = req.signedIn!;
    if (!CAN_RECORD.includes(user.role)) {
      return sendError(web, req, reply, 403, 'Not allowed', `Your role (${user.role}) can read letters but not change them. Ask a lead for the staff role.`);
    }
    const b = (req.body ?? {}) as Body;
    const action = str(b.action);
    const form: RoundActionForm = { action, workingDays: str(b.workingDays).trim(), reason: str(b.reason).trim(), text: str(b.text).trim() };
    if (!isRoundAction(action)) return sendError(web, req, reply, 422, 'Nothing changed', `There is no action '${action}'. Choose one of the register's form.`);
    const ids = [...new Set(list(b.ids))];
    const back = `Go back to the register of ${roundId}, tick the letters to change and try again.`;
    if (ids.length === 0) return sendError(web, req, reply, 422, 'Nothing changed', `No letters were ticked. ${back}`);
    if (action === 'extend' && !/^\d+$/.test(form.workingDays)) {
      return sendError(web, req, reply, 422, 'Nothing changed', `Working days: expected a whole number from 1 to 250 for an extension, got '${form.workingDays}'. ${back}`);
    }
    if (action === 'note' && !form.text) return sendError(web, req, reply, 422, 'Nothing changed', `Note: write the note to add. ${back}`);
    const all = await listLetters(client, queries.roundLetters(roundId));
    const byId = new Map(all.map((r) => [r.letterId, r]));
    const rows = ids.flatMap((id) => byId.get(id) ?? []).sort((a, b) => a.letterId.localeCompare(b.letterId));
    const missing = ids.filter((id) => !byId.has(id));
    if (rows.length === 0) return sendError(web, req, reply, 422, 'Nothing changed', `None of the ticked letters is in round ${roundId}. ${back}`);
    const view = { roundId, action, form, rows, missing, tz };
    if (str(b.step) !== 'apply') return send(reply, 200, roundActionsPage(pageContext(web, req, reply), view));
    const report = await apply(web, rows, action, form, user.user);
    return send(reply, 200, roundActionsPage(pageContext(web, req, reply), { ...view, report }));
  });

  app.get('/organisations/:name', async (req, reply) => {
    const { name } = req.params as { name: string };
    const wanted = name.trim().toLowerCase();
    // One visibility listing; the organisation is in each letter's memo.
    const rows = (await listLetters(client, queries.allLetters())).filter((r) => (r.recipient?.organisation ?? r.recipient?.name ?? '').toLowerCase() === wanted);
    const stats = rows.length ? responseStats(statsLetters(rows), () => name, todayIn(tz))[0] : undefined;
    const sorted = [...rows].sort((a, b) => a.roundId.localeCompare(b.roundId) || a.letterId.localeCompare(b.letterId));
    return send(reply, rows.length ? 200 : 404, organisationPage(pageContext(web, req, reply), { name, stats, rows: sorted, tz }));
  });
};

function notLead(web: Web, req: FastifyRequest, reply: FastifyReply) {
  const role = req.signedIn?.role ?? 'none';
  return sendError(web, req, reply, 403, 'Not allowed', `The calendar is for leads; your role is ${role}. Ask a lead to add the closure.`);
}

/** Each letter through its own update, as `rounds extend --ids ...` does. */
async function apply(web: Web, rows: LetterRow[], action: RoundAction, f: RoundActionForm, by: string): Promise<Outcome[]> {
  const reason = f.reason || undefined;
  const describe = (s: LetterStatus) => `${stateLabel(s.state)}; next: ${s.nextAction ? `${s.nextAction.kind}, ${longDateTime(s.nextAction.at, web.tz)}` : 'nothing'}`;
  const run = <K extends keyof Updates>(name: K, payload: PayloadOf<Updates[K]>) => applyToRows(web.client, rows, name, payload, { describe });
  switch (action) {
    case 'extend':
      return run('extendDeadline', { workingDays: Number(f.workingDays), ...(reason ? { reason } : {}), by } satisfies ExtendPayload);
    case 'pause':
      return run('pause', { ...(reason ? { reason } : {}), by } satisfies PausePayload);
    case 'resume':
      return run('resume', { by } satisfies ResumePayload);
    case 'note':
      return run('addNote', { text: f.text, by } satisfies NotePayload);
    case 'withdraw':
      return run('withdraw', { ...(reason ? { reason } : {}), by } satisfies WithdrawPayload);
  }
}

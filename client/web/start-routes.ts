// The dashboard's start area (leads only): the round folders under roundsDirs (GET /start),
// one folder checked as `rounds check` shows it with the start form (GET /start/:folder), and
// starting its letters (POST /start/:folder: letterInputs + startLetters, idempotent). A round
// folder is named only by its own name, which must be one a scan of roundsDirs finds now
// (round-folders.ts): nothing from a request becomes a path.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RoundPlan } from '../../domain/round';
import { defaultSentOn, resolveSentOn, SentOnError } from '../../domain/start';
import { UserError } from '../errors';
import { letterInputs, pdfLettersForSending, startLetters } from '../letters';
import { hasErrors } from '../round-folder';
import { pageContext, send, sendError, str, takeFlash, type AreaOptions, type Body, type Web } from './context';
import { findRoundFolder, isFolderName, loadForDisplay, scanRoundFolders } from './round-folders';
import { roundCheckPage, startListPage, type StartForm } from './start-view';
import { roundHref } from './views';

function notLead(web: Web, req: FastifyRequest, reply: FastifyReply) {
  const role = req.signedIn?.role ?? 'none';
  return sendError(web, req, reply, 403, 'Not allowed', `Starting a round needs the lead role; yours is ${role}. Ask a lead to start it.`);
}

function noSuchFolder(web: Web, req: FastifyRequest, reply: FastifyReply) {
  return sendError(web, req, reply, 404, 'No such round folder', 'There is no round folder of that name. Choose one from the list on “Start a round”.');
}

export const startRoutes: FastifyPluginAsync<AreaOptions> = async (app, { web }) => {
  const { client, roundsDirs, sessions } = web;

  // Every page here is for leads.
  app.addHook('preHandler', async (req, reply) => {
    if (req.signedIn?.role !== 'lead') return notLead(web, req, reply);
  });

  app.get('/start', async (req, reply) => {
    const scan = scanRoundFolders(roundsDirs);
    const entries = await Promise.all(scan.folders.map(async (folder) => ({ folder, plan: await loadForDisplay(folder) })));
    return send(reply, 200, startListPage(pageContext(web, req, reply, await takeFlash(web, req)), { configured: roundsDirs.length > 0, roundsDirs, scan, entries }));
  });

  app.get('/start/:folder', async (req, reply) => {
    const folder = findRoundFolder(roundsDirs, (req.params as { folder: string }).folder);
    if (!folder) return noSuchFolder(web, req, reply);
    const plan = await loadForDisplay(folder);
    const defaults = defaultSentOn(plan);
    const form: StartForm = { delivery: 'record-sent', sentOn: defaults.length === 1 ? defaults[0] : '' };
    return send(reply, 200, roundCheckPage(pageContext(web, req, reply, await takeFlash(web, req)), { folder, plan, form, defaultSentOn: defaults }));
  });

  app.post('/start/:folder', async (req, reply) => {
    const name = (req.params as { folder: string }).folder;
    if (!isFolderName(name)) return noSuchFolder(web, req, reply);
    const b = (req.body ?? {}) as Body;
    const form: StartForm = { delivery: str(b.delivery) || 'record-sent', sentOn: str(b.sentOn).trim() };
    // Everything is read again from the folder: only its name comes from the request.
    const folder = findRoundFolder(roundsDirs, name);
    if (!folder) {
      return sendError(web, req, reply, 422, 'Round not started', `The round folder '${name}' is not there any more (moved, renamed, or without its round.yaml). Nothing was started.`);
    }
    const plan = await loadForDisplay(folder);
    const defaults = defaultSentOn(plan);
    const refuse = (message: string) => send(reply, 422, roundCheckPage(pageContext(web, req, reply), { folder, plan, form, defaultSentOn: defaults, error: message }));
    if (hasErrors(plan)) return refuse('the round has errors (listed here). Nothing was started. Fix them in the folder’s files, then reload this page.');
    if (!['record-sent', 'send', 'send-inline'].includes(form.delivery)) return refuse(`choose how the letters go out: record them as sent, or email them (got '${form.delivery}').`);
    // 'send': a covering note with the letter attached as a PDF; 'send-inline': the letter in the email (rounds start --send [--inline]).
    const delivery = form.delivery === 'record-sent' ? 'record-sent' : 'send';
    const inline = form.delivery === 'send-inline';
    if (delivery === 'send') {
      const without = plan.letters.filter((l) => !l.body).map((l) => l.letterId);
      if (without.length > 0) return refuse(`emailing needs each letter’s own file under letters/, and ${without.join(', ')} ${without.length === 1 ? 'has' : 'have'} none. Add the files, or record the letters as sent.`);
    }
    const sentOn = checkSentOn(form.sentOn, plan, defaults, new Date());
    if ('error' in sentOn) return refuse(sentOn.error);
    let inputs;
    try {
      inputs = letterInputs(plan, { delivery, inline, letterPdfs: await pdfLettersForSending(plan, { delivery, inline }), sentOn: sentOn.value });
    } catch (err) {
      if (err instanceof UserError) return refuse(err.message);
      throw err;
    }
    const result = await startLetters(client, inputs);
    const n = result.started.length;
    const m = result.alreadyStarted.length;
    const user = req.signedIn!;
    req.log.info({ user: user.user, round: plan.round.id, folder: folder.dir, started: n, alreadyStarted: m }, 'round started');
    user.flash = `Started ${n} letter${n === 1 ? '' : 's'}; ${m} already started${m > 0 ? ' (left as they were)' : ''}.`;
    await sessions.save(user);
    return reply.redirect(roundHref(plan.round.id), 303);
  });
};

/**
 * The start form's "counts as sent on": '' or the default → undefined (each letter's default,
 * as the CLI without --sent-on); otherwise the rule `rounds start --sent-on` applies (domain/start.ts).
 */
function checkSentOn(typed: string, plan: RoundPlan, defaults: string[], now: Date): { value: string | undefined } | { error: string } {
  if (typed === '' || (defaults.length === 1 && typed === defaults[0])) return { value: undefined };
  try {
    resolveSentOn(typed, plan, now);
  } catch (err) {
    if (err instanceof SentOnError) return { error: `“counts as sent on”: ${err.message}` };
    throw err;
  }
  return { value: typed.toLowerCase() === 'now' ? 'now' : typed };
}

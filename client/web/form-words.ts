// The letter forms' words, and the workflow's messages put into them. The workflow names its
// payload's fields ('receivedOn: 2019-01-01 is before the letter's date, 2020-10-13'); the
// person filled in a form ('Date received'), so the dashboard says it in the form's words:
// 'Date received: 1 January 2019 is before the letter's date, 13 October 2020'.
import { DateTime } from 'luxon';
import { DOCUMENT_KEYS, DOCUMENT_LABELS, type DocumentKey } from '../../domain/documents';
import type { LetterForm } from './letter-view';

/** Each form's field labels, by the workflow's field name (the form's input names are the same). */
export const FIELD_LABELS: Record<LetterForm, Record<string, string>> = {
  receipt: { documents: 'Documents received', receivedOn: 'Date received', by: 'Recorded by', note: 'Note (optional)' },
  decline: { documents: 'Documents declined', reason: 'Their reason', on: 'Date declined', by: 'Recorded by' },
  extend: { until: 'Until (a working day)', workingDays: 'Or by this many working days', reason: 'Reason (optional)', by: 'Recorded by' },
  pause: { reason: 'Reason (optional)', by: 'Recorded by' },
  resume: { by: 'Recorded by' },
  withdraw: { reason: 'Reason (optional)', by: 'Recorded by' },
  note: { text: 'Note', by: 'Recorded by' },
};

/** A label as a message names the field: without '(optional)'. */
function named(label: string): string {
  return label.replace(/ \(optional\)$/, '');
}

/** 'YYYY-MM-DD' → '1 January 2019' (a date inside a sentence). */
export function dayMonthYear(isoDate: string): string {
  const d = DateTime.fromISO(isoDate, { zone: 'UTC' });
  return d.isValid ? d.toFormat('d MMMM yyyy') : isoDate;
}

const STEP_WORDS: Record<string, string> = { chase: 'reminder', escalate: 'escalation', close: 'closing as unanswered' };

/**
 * The workflow's message about one form, in the form's words: its field names become the
 * form's labels, document keys their names, ISO dates and times are written out.
 */
export function formMessage(form: LetterForm, message: string, tz: string): string {
  const labels = FIELD_LABELS[form];
  let m = message;
  // Messages that name two fields, or ask for a list the form shows as boxes to tick.
  if (form === 'extend' && /^give either until\b.*\bworkingDays\b/.test(m)) {
    return `give either “${named(labels.until)}” or “${named(labels.workingDays)}”, not both and not neither`;
  }
  const noDocuments = /^documents: expected a non-empty list\b/.test(m);
  if (noDocuments && labels.documents) return `${labels.documents}: tick at least one document`;
  // 'field: ...' or 'field[2]: ...' at the start.
  m = m.replace(/^([A-Za-z]+)(\[\d+\])?: /, (whole, field: string) => (labels[field] ? `${named(labels[field])}: ` : whole));
  // Document keys: 'problemProfile (Problem profile)' → 'Problem profile', then any key left.
  for (const key of DOCUMENT_KEYS) m = m.split(`${key} (${DOCUMENT_LABELS[key]})`).join(DOCUMENT_LABELS[key]);
  m = m.replace(new RegExp(`\\b(${DOCUMENT_KEYS.join('|')})\\b`, 'g'), (key) => DOCUMENT_LABELS[key as DocumentKey]);
  m = m.replace(/\bnext (chase|escalate|close)\b/g, (_w, step: string) => `next ${STEP_WORDS[step]}`);
  // Instants first (they start with a date), then dates.
  m = m.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/g, (at) => {
    const d = DateTime.fromISO(at).setZone(tz);
    return d.isValid ? d.toFormat("d MMMM yyyy 'at' HH:mm") : at;
  });
  m = m.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (date) => dayMonthYear(date));
  return m;
}

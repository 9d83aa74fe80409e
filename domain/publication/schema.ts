// The JSON Schema of a published round.json (written beside the site as round.schema.json;
// README "Publication" describes the fields). Draft-07, so common validators read it as is.
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const nullable = (s: object) => ({ anyOf: [s, { type: 'null' }] });
const figures = {
  letters: { type: 'integer', minimum: 0, description: 'Letters in the round (or to the organisation).' },
  answered: { type: 'integer', minimum: 0, description: 'Letters whose every requested document was received or declined.' },
  answeredInTime: { type: 'integer', minimum: 0, description: 'Answered by the day the first chase fell due.' },
  medianWorkingDaysToAnswer: { ...nullable({ type: 'number', minimum: 0 }), description: 'Median working days (England and Wales) from sending to the last answer; null when none answered.' },
  chases: { type: 'integer', minimum: 0, description: 'Chase emails sent.' },
};
const figureKeys = Object.keys(figures);

export const ROUND_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'round.schema.json',
  title: 'A published request round',
  type: 'object',
  additionalProperties: false,
  required: ['$schema', 'roundId', 'title', 'asOf', 'figures', 'byOrganisation', 'letters'],
  properties: {
    $schema: { type: 'string' },
    roundId: { type: 'string' },
    title: { type: 'string' },
    asOf: { ...date, description: 'The day overdue documents are counted to.' },
    generatedAt: { type: 'string', description: 'Only with rounds publish --stamp.' },
    figures: { type: 'object', additionalProperties: false, required: figureKeys, properties: figures },
    byOrganisation: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['organisation', ...figureKeys], properties: { organisation: { type: 'string' }, ...figures } },
    },
    letters: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['letterId', 'organisation', 'role', 'subject', 'letterDate', 'sentOn', 'state', 'stateDescription', 'dueOn', 'chasedOn', 'answeredOn', 'answeredInTime', 'workingDaysToAnswer', 'documents', 'files'],
        properties: {
          letterId: { type: 'string' },
          organisation: { type: 'string' },
          role: { type: 'string', description: "The addressee's public office (never a name)." },
          subject: { type: 'string' },
          letterDate: date,
          sentOn: date,
          state: { enum: ['awaiting', 'partial', 'chased', 'escalated', 'complete', 'declined', 'unanswered', 'withdrawn', 'paused', 'needs-attention'] },
          stateDescription: { type: 'string' },
          dueOn: nullable(date),
          chasedOn: { type: 'array', items: date },
          answeredOn: nullable(date),
          answeredInTime: nullable({ type: 'boolean' }),
          workingDaysToAnswer: nullable({ type: 'integer', minimum: 0 }),
          documents: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['key', 'label', 'status'],
              properties: {
                key: { enum: ['problemProfile', 'responseStrategy', 'deliveryUpdate'] },
                label: { type: 'string' },
                status: { enum: ['received', 'declined', 'outstanding', 'overdue'] },
                on: date,
                reason: { type: 'string', description: 'Only when the office marked the reason publishable.' },
                workingDaysOverdue: { type: 'integer', minimum: 1 },
              },
            },
          },
          files: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'document', 'title', 'receivedOn', 'redacted', 'name', 'mediaType', 'size', 'sha256', 'url'],
              properties: {
                id: { type: 'string' },
                document: nullable({ enum: ['problemProfile', 'responseStrategy', 'deliveryUpdate'] }),
                title: { type: 'string' },
                receivedOn: date,
                redacted: { type: 'boolean', description: 'True when this is a redacted copy (the original is never published).' },
                fromReply: { type: 'boolean', description: 'True for an attachment of a reply received by email (never the message itself).' },
                name: { type: 'string' },
                mediaType: { type: 'string' },
                size: { type: 'integer', minimum: 1 },
                sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
                url: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;

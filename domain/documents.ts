// The documents a letter can ask for. One table, used by the parser, the workflow,
// the CLI and the dashboard, so a key always means the same thing and has one label.
export const DOCUMENT_KEYS = ['problemProfile', 'responseStrategy', 'deliveryUpdate'] as const;
export type DocumentKey = (typeof DOCUMENT_KEYS)[number];

export const DOCUMENT_LABELS: Record<DocumentKey, string> = {
  problemProfile: 'Problem Profile / Strategic Needs Assessment',
  responseStrategy: 'Response Strategy',
  deliveryUpdate: 'Updates on progress on delivery',
};

export function isDocumentKey(value: unknown): value is DocumentKey {
  return typeof value === 'string' && (DOCUMENT_KEYS as readonly string[]).includes(value);
}

// All side effects of the workflows. Build them with their configuration and give them to
// the worker; the workflows see only their types.
import { createEmailActivities, type EmailConfig } from './email';
import { createInboxActivities, type InboxConfig } from './inbox';
import { createLetterPdfActivities } from './letter-pdf';

export type { EmailConfig, SentEmail } from './email';
export type { InboxConfig } from './inbox';

export function createActivities(config: EmailConfig, inbox?: InboxConfig) {
  const email = createEmailActivities(config);
  // Without an inbox configuration the mailbox activities still exist and say so when called.
  const mail = createInboxActivities(inbox ?? { documentsDir: '' });
  // Letters sent as PDF attachments are printed and kept in the same document store the emails read.
  const pdf = createLetterPdfActivities({ documentsDir: config.documentsDir });
  return {
    activities: { sendEmail: email.sendEmail, pollMailbox: mail.pollMailbox, readStoredMail: mail.readStoredMail, lettersBySender: mail.lettersBySender, makeLetterPdf: pdf.makeLetterPdf },
    // Chromium (launched at the first print only) is closed in the background: callers stop synchronously.
    close: (): void => {
      email.close();
      void pdf.close();
    },
  };
}

export type Activities = ReturnType<typeof createActivities>['activities'];

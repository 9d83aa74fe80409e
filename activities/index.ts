// All side effects of the letter workflow. Build them with their configuration and give
// them to the worker; the workflow sees only their types.
import { createEmailActivities, type EmailConfig } from './email';

export type { EmailConfig, SentEmail } from './email';

export function createActivities(config: EmailConfig) {
  const email = createEmailActivities(config);
  return {
    activities: { sendEmail: email.sendEmail },
    close: email.close,
  };
}

export type Activities = ReturnType<typeof createActivities>['activities'];

/** The delivery channels, one per message kind. Each sends one stored message and never throws. */
import { sendEmail } from './channel-email.ts';
import { sendSlack } from './channel-slack.ts';
import { sendWebhook } from './channel-webhook.ts';
import type { Outcome, SendContext } from './outcome.ts';
import type { StoredMessage } from './stored.ts';
import type { Channel } from './types.ts';

export type Sender<K extends Channel> = (m: Extract<StoredMessage, { kind: K }>, ctx: SendContext) => Promise<Outcome>;

export const channels = {
  slack: sendSlack,
  webhook: sendWebhook,
  email: sendEmail,
} satisfies { [K in Channel]: Sender<K> };

/** Sends `m` through its channel. */
export function deliver(m: StoredMessage, ctx: SendContext): Promise<Outcome> {
  switch (m.kind) {
    case 'slack':
      return channels.slack(m, ctx);
    case 'webhook':
      return channels.webhook(m, ctx);
    case 'email':
      return channels.email(m, ctx);
  }
}

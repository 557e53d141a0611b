export { InvalidMessageError, OutboxOptionError, UnsupportedSettingError } from './errors.ts';
export { escapeMrkdwn } from './mrkdwn.ts';
export type { OutboxOptions, RetryOptions } from './options.ts';
export { Outbox } from './outbox.ts';
export { checkHttpSettings } from './stored.ts';
export type {
  Channel,
  DeadLetter,
  DeliveryRecord,
  HttpSettings,
  Message,
  MessageMeta,
  SlackPayload,
  SmtpSettings,
} from './types.ts';

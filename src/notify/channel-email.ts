/**
 * Email over SMTP through nodemailer, one connection per message. Replies decide: 2xx accepted; a 5xx
 * (mailbox unknown, relaying denied, authentication failed) permanent; a 4xx (greylisting, mailbox busy)
 * transient, as are connection and TLS failures and timeouts.
 */
import { tlsConnectionOptions } from './http-post.ts';
import { failure, type Outcome, type SendContext, success } from './outcome.ts';
import type { StoredMessage } from './stored.ts';

type EmailMessage = Extract<StoredMessage, { kind: 'email' }>;

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

export async function sendEmail(m: EmailMessage, ctx: SendContext): Promise<Outcome> {
  const s = m.smtp;
  let tls: ReturnType<typeof tlsConnectionOptions>;
  try {
    tls = tlsConnectionOptions(s.tls);
  } catch (err) {
    return failure('transient', (err as Error).message);
  }
  // Loaded on the first email: nodemailer costs about 13 MB of memory, which a vigil that sends none keeps.
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: s.host,
    port: s.port,
    secure: s.port === 465,
    requireTLS: s.requireTls,
    ignoreTLS: !s.requireTls,
    name: s.hello,
    auth: s.username ? { user: s.username, pass: s.password ?? '' } : undefined,
    tls,
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve(failure('transient', `timeout after ${ctx.timeoutMs} ms`)), ctx.timeoutMs);
    onAbort = () => resolve(failure('transient', 'canceled: the outbox is closing'));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  const send = (async (): Promise<Outcome> => {
    try {
      await transport.sendMail({
        from: m.from,
        to: m.to,
        subject: m.subject,
        ...(m.html !== undefined ? { html: m.html } : {}),
        ...(m.text !== undefined ? { text: m.text } : {}),
        headers: m.headers,
      });
      return success;
    } catch (err) {
      return classifySmtpError(err as SmtpError);
    }
  })();
  try {
    return await Promise.race([send, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) ctx.signal.removeEventListener('abort', onAbort);
    transport.close();
  }
}

/** SMTP 5xx and malformed messages are permanent; 4xx and everything else (network, TLS) transient. */
export function classifySmtpError(err: SmtpError): Outcome {
  const reason = (err.response ?? err.message ?? String(err)).replace(/\s+/g, ' ').trim().slice(0, 200);
  const code = err.responseCode;
  if (code !== undefined && code >= 500) return failure('permanent', reason);
  if (code !== undefined && code >= 400) return failure('transient', reason);
  if (err.code === 'EMESSAGE' || (err.code === 'EENVELOPE' && code === undefined)) return failure('permanent', reason);
  return failure('transient', reason);
}

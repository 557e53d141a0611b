/**
 * Escapes text for Slack's mrkdwn (and legacy message text): `&`, `<` and `>` become `&amp;`, `&lt;` and
 * `&gt;`, the only three characters Slack asks senders to encode. Formatting characters (`*`, `_`, `~`, `` ` ``)
 * are left alone. Do not escape text that holds intended links or mentions (`<https://…|label>`).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

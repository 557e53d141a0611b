/**
 * The benign requests the gateway and WAF benches send: a browser's headers, a GET with a query string and a
 * 1 KB form body, the same in `bench -- gateway` (through wrk) and `bench -- waf` (in process).
 */

/** Headers a browser would send, as name/value pairs. */
export const browserHeaders: ReadonlyArray<readonly [string, string]> = [
  ['Host', 'app.test'],
  ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'],
  ['Accept', 'text/html,application/xhtml+xml,*/*;q=0.8'],
  ['Accept-Language', 'en-US,en;q=0.5'],
];

/** The benign GET's target. */
export const benignGetPath = '/search?q=benign+words&page=2';

/** 1024 bytes of benign form fields. */
export function formBody(): string {
  const head =
    'name=Jane+Doe&email=jane.doe%40example.com&phone=555-0100&city=Springfield&country=US' +
    '&subject=Question+about+my+order&order=10442&newsletter=yes&message=';
  const words = 'hello there i would like to know when my parcel will arrive since it has been a week thanks again ';
  let message = '';
  while (head.length + message.length < 1024) message += words;
  return (head + message.replace(/ /g, '+')).slice(0, 1023).replace(/\+$/, 's').padEnd(1024, 'x');
}

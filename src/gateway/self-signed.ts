/**
 * Self-signed certificates for sites without one, made with Node's crypto and our DER writer (no network, no
 * openssl binary): an ECDSA P-256 key and an X.509 v3 certificate for the site's names.
 */
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { bitString, boolean, context, integer, octetString, oid, sequence, set, time, utf8String } from './der.ts';

export interface SelfSigned {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM PKCS#8 private key. */
  readonly key: string;
}

const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const words = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  words.forEach((w, i) => {
    out.writeUInt16BE(Number.parseInt(w, 16), i * 2);
  });
  return out;
}

/**
 * A certificate for `names` (DNS names or IP addresses; the first is the subject CN), valid from an hour before
 * `now` for `days` days. Throws only on a Node crypto failure.
 */
export function generateSelfSigned(names: readonly string[], now = new Date(), days = 365): SelfSigned {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const cn = names[0] ?? 'localhost';
  const name = sequence(set(sequence(oid('2.5.4.3'), utf8String(cn))));
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;
  const altNames = names.map((n) =>
    isIP(n) !== 0 ? context(7, ipBytes(n), false) : context(2, Buffer.from(n), false),
  );
  const extensions = sequence(
    sequence(oid('2.5.29.19'), boolean(true), octetString(sequence())),
    sequence(oid('2.5.29.15'), boolean(true), octetString(bitString(Buffer.from([0x80]), 7))),
    sequence(oid('2.5.29.37'), octetString(sequence(oid('1.3.6.1.5.5.7.3.1')))),
    sequence(oid('2.5.29.17'), octetString(sequence(...altNames))),
  );
  const tbs = sequence(
    context(0, integer(2), true),
    integer(serial),
    ecdsaWithSha256,
    name,
    sequence(time(new Date(now.getTime() - 3600_000)), time(new Date(now.getTime() + days * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    context(3, extensions, true),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, ecdsaWithSha256, bitString(signature));
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
  const cert = `-----BEGIN CERTIFICATE-----\n${body.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  new X509Certificate(cert); // fails loudly here rather than at the first handshake
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

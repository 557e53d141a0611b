import type { BodyProcessor } from './types.ts';

/**
 * XML: a small well-formedness check (balanced tags) that keeps the document's text content (`XML:/*`) and
 * its attribute values (`XML://@*`). No DTD processing, no entity expansion beyond the five predefined ones and character references (as UTF-8 bytes).
 */
export const xml: BodyProcessor = (body, _ct, s) => {
  const stack: string[] = [];
  let text = '';
  const attributes: string[] = [];
  const decode = (t: string) =>
    t.indexOf('&') < 0
      ? t
      : t.replace(/&(?:(lt|gt|amp|quot|apos)|#x([0-9a-fA-F]+)|#([0-9]+));/g, (m, e, hex, dec) => {
          if (e !== undefined)
            return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e] ?? m;
          const cp = hex !== undefined ? Number.parseInt(hex, 16) : Number.parseInt(dec, 10);
          if (!(cp > 0 && cp <= 0x10ffff)) return m;
          return Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
        });
  let i = 0;
  let sawRoot = false;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const chunk = lt < 0 ? body.slice(i) : body.slice(i, lt);
    if (stack.length > 0) text += decode(chunk);
    else if (chunk.trim() !== '') return 'XML parsing error: text outside the root element';
    if (lt < 0) break;
    if (body.startsWith('<!--', lt)) {
      const end = body.indexOf('-->', lt + 4);
      if (end < 0) return 'XML parsing error: unterminated comment';
      i = end + 3;
      continue;
    }
    if (body.startsWith('<![CDATA[', lt)) {
      const end = body.indexOf(']]>', lt + 9);
      if (end < 0) return 'XML parsing error: unterminated CDATA';
      text += body.slice(lt + 9, end);
      i = end + 3;
      continue;
    }
    if (body.startsWith('<?', lt) || body.startsWith('<!', lt)) {
      const end = body.indexOf('>', lt);
      if (end < 0) return 'XML parsing error: unterminated declaration';
      i = end + 1;
      continue;
    }
    const end = body.indexOf('>', lt);
    if (end < 0) return 'XML parsing error: unterminated tag';
    const tag = body.slice(lt + 1, end);
    i = end + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) return `XML parsing error: mismatched end tag ${name}`;
      continue;
    }
    const name = /^[A-Za-z_:][\w:.-]*/.exec(tag)?.[0];
    if (name === undefined) return 'XML parsing error: invalid tag';
    if (stack.length === 0 && sawRoot) return 'XML parsing error: more than one root element';
    sawRoot = true;
    const selfClosing = tag.endsWith('/');
    const problem = readAttributes(tag.slice(name.length, selfClosing ? -1 : tag.length), (v) =>
      attributes.push(decode(v)),
    );
    if (problem !== undefined) return problem;
    if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0 || !sawRoot) return 'XML parsing error: premature end of document';
  s.xml = { text, attributes };
  return undefined;
};

/** Reads `name="value"` pairs (single or double quotes) in one pass; returns an error for malformed text. */
function readAttributes(text: string, onValue: (v: string) => void): string | undefined {
  let i = 0;
  const n = text.length;
  const blank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < n) {
    while (i < n && blank(text[i])) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !blank(text[i]) && text[i] !== '=') i++;
    if (i === start) return 'XML parsing error: invalid attribute';
    while (i < n && blank(text[i])) i++;
    if (text[i] !== '=') return 'XML parsing error: attribute without value';
    i++;
    while (i < n && blank(text[i])) i++;
    const q = text[i];
    if (q !== '"' && q !== "'") return 'XML parsing error: unquoted attribute value';
    const end = text.indexOf(q, i + 1);
    if (end < 0) return 'XML parsing error: unterminated attribute value';
    onValue(text.slice(i + 1, end));
    i = end + 1;
  }
  return undefined;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathCovered } from './exclusions.ts';

describe('pathCovered: a path-limited exclusion covers a request only when both readings of its path agree', () => {
  const cases: Array<[uri: string, covered: boolean]> = [
    ['/blog/post?comment=x', true],
    ['/blog/', true],
    ['/blog//post', true],
    ['/blog/./post', true],
    ['/blog/a/../post', true],
    ['/blog', false],
    ['/shop?next=/blog/', false],
    ['/blog/../admin', false],
    ['/blog/%2e%2e/admin', false],
    ['/blog/.%2E/admin', false],
    ['/blog%2F..%2Fadmin', false],
    ['/bl%6Fg/post', false],
    ['/blog/%zz', false],
    ['http://app.test/blog/post', false],
  ];
  for (const [uri, covered] of cases) {
    it(`${uri} is ${covered ? '' : 'not '}covered by /blog/`, () =>
      assert.equal(pathCovered(uri, ['/blog/']), covered));
  }
});

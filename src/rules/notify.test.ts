import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatorUrl, goQueryEscape } from './notify.ts';

describe('generator URLs', () => {
  it("escape the expression as Go's url.QueryEscape", () => {
    assert.equal(
      goQueryEscape('sum(rate(x{a="b"}[5m])) > 0.5 ~_-.'),
      'sum%28rate%28x%7Ba%3D%22b%22%7D%5B5m%5D%29%29+%3E+0.5+~_-.',
    );
    assert.equal(goQueryEscape('é/+'), '%C3%A9%2F%2B');
  });

  it('link to the graph page as a table', () => {
    assert.equal(generatorUrl('http://h:9090', 'up == 0'), 'http://h:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1');
  });
});

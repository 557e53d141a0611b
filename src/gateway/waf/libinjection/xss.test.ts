import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectXss } from './xss.ts';

describe('detectXss', () => {
  const cases: Array<[string, string | undefined]> = [
    ['<script>alert(1)</script>', 'tag script'],
    ['</script>', 'tag script'],
    ['<v:vmlframe src="foo.com/sup.fml"/>', 'tag v:vmlframe'],
    ['<:vmlframe src=', 'tag :vmlframe'],
    ['<img src=x onerror=alert(1)>', 'attribute onerror'],
    ['ja&tab;vascript:alert(1)', 'script url'],
    ['v&newline;bscript&colon;msgbox(1)', 'script url'],
    ['java&#x09;script:alert(1)', 'script url'],
    // The input lands inside a tag: a URL or style attribute set to a script URL.
    ['style=color:red;background:url(javascript:alert(1))', 'attribute style'],
    ["x' href=javascript:alert(1)", 'attribute href'],
    ['" onmouseover="alert(1)', 'attribute onmouseover'],
    // Benign: no tag after `< `, tags that cannot run script by themselves, C++ templates, entities.
    ['* **`Style`**`: Object< Style | string >`', undefined],
    ['<source media="(prefers-color-scheme: dark)" srcset="https://example.com/a.svg" />', undefined],
    ['<template>', undefined],
    ['<video controls width="250">', undefined],
    ['Nan::MaybeLocal<v8::Object> Nan::NewBuffer(uint32_t size)', undefined],
    ['onion=3', undefined],
    ['href=https://example.com/?a=1', undefined],
    ['Tom &amp; Jerry', undefined],
    ['I <3 NY', undefined],
  ];
  for (const [input, want] of cases)
    it(`${JSON.stringify(input)} -> ${want ?? 'benign'}`, () => assert.equal(detectXss(input), want));
});

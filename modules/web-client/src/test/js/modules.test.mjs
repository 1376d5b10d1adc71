import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'node:test';

const PUBLIC = new URL('../../main/resources/public/', import.meta.url);

test('every module but the entry point imports without a DOM (no document/window at import time)', async () => {
  assert.equal(typeof globalThis.document, 'undefined');
  const files = (await readdir(PUBLIC)).filter((f) => f.endsWith('.js') && f !== 'app.js');
  assert.ok(files.length >= 10, files.join(','));
  for (const file of files) await import(new URL(file, PUBLIC));
});

test('the page has no inline script, inline style or innerHTML (the CSP forbids the first two)', async () => {
  const html = await readFile(new URL('index.html', PUBLIC), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline <script>');
  assert.doesNotMatch(html, /\sstyle=|<style/i, 'inline style');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'inline event handler');
  for (const file of (await readdir(PUBLIC)).filter((f) => f.endsWith('.js'))) {
    const source = await readFile(new URL(file, PUBLIC), 'utf8');
    assert.doesNotMatch(source, /\.innerHTML|\.outerHTML|insertAdjacentHTML|\beval\(|new Function\(|\.style\./, file);
  }
});

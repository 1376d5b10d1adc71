/**
 * End-to-end smoke run of the page in headless Chromium against dev-server.mjs, driven over the
 * DevTools protocol on a pipe (no npm packages, no WebSocket client needed). Optional: it needs a
 * Chromium binary, so Maven does not run it; run it by hand after changing the page:
 *
 *   node modules/web-client/src/test/js/browser-smoke.mjs [chromium-path] [screenshot-dir]
 *
 * Exits non-zero on the first failed check; also fails on any console error or CSP violation.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from './dev-server.mjs';

const chromiumPath = process.argv[2] ?? 'chromium';
const shots = process.argv[3] ?? join(tmpdir(), 'loomlite-smoke');

/** Minimal CDP client over --remote-debugging-pipe (fd 3 in, fd 4 out, NUL-separated JSON). */
async function launch() {
  const profile = await mkdtemp(join(tmpdir(), 'loomlite-chromium-'));
  const child = spawn(chromiumPath, ['--headless=new', '--remote-debugging-pipe', '--no-sandbox',
    '--disable-gpu', `--user-data-dir=${profile}`, '--window-size=1200,800', 'about:blank'],
  { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const [input, output] = [child.stdio[3], child.stdio[4]];
  let nextId = 1;
  const waiting = new Map();
  const listeners = [];
  let buffer = '';
  output.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let end;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (message.id && waiting.has(message.id)) {
        const { resolve, reject } = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error) reject(new Error(JSON.stringify(message.error)));
        else resolve(message.result);
      } else {
        for (const listener of listeners) listener(message);
      }
    }
  });
  const call = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
  });
  return { call, onEvent: (fn) => listeners.push(fn), close: () => child.kill() };
}

async function main() {
  await mkdir(shots, { recursive: true });
  const server = await startDevServer();
  const browser = await launch();
  const problems = [];
  try {
    const { targetId } = await browser.call('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await browser.call('Target.attachToTarget', { targetId, flatten: true });
    const page = (method, params) => browser.call(method, params, sessionId);
    browser.onEvent((event) => {
      if (event.sessionId !== sessionId) return;
      if (event.method === 'Runtime.exceptionThrown') problems.push(`exception: ${event.params.exceptionDetails.text} ${event.params.exceptionDetails.exception?.description ?? ''}`);
      if (event.method === 'Runtime.consoleAPICalled' && event.params.type === 'error') {
        problems.push(`console.error: ${event.params.args.map((a) => a.value ?? a.description).join(' ')}`);
      }
      // Failed HTTP statuses are logged by the browser with source 'network'; this run provokes them.
      if (event.method === 'Log.entryAdded' && event.params.entry.level === 'error' && event.params.entry.source !== 'network') {
        problems.push(`log: ${event.params.entry.text}`);
      }
    });
    await page('Page.enable');
    await page('Runtime.enable');
    await page('Log.enable');

    const evaluate = async (expression) => {
      const { result, exceptionDetails } = await page('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
      if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value;
    };
    const waitFor = async (expression, what, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await evaluate(expression).catch(() => false)) return; // the page may still be loading
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    const type = (text) => page('Input.insertText', { text });
    const key = (keyName, modifiers = 0) => {
      const code = keyName === 'Enter' ? 13 : 0;
      const base = { key: keyName, code: keyName, windowsVirtualKeyCode: code, modifiers };
      // 'keyDown' with text behaves like a real key: a prevented keydown inserts nothing.
      return page('Input.dispatchKeyEvent', { type: 'keyDown', text: keyName === 'Enter' ? '\r' : undefined, ...base })
        .then(() => page('Input.dispatchKeyEvent', { type: 'keyUp', ...base }));
    };
    const shot = async (name) => {
      const { data } = await page('Page.captureScreenshot', { format: 'png' });
      await writeFile(join(shots, `${name}.png`), Buffer.from(data, 'base64'));
    };
    const check = (ok, what) => {
      if (!ok) throw new Error(`check failed: ${what}`);
      console.log(`ok - ${what}`);
    };
    const dev = (path) => fetch(new URL(path, server.url), { method: 'POST' });
    const rows = () => evaluate(`[...document.querySelectorAll('#messages li.message')].map(li => ({
      status: li.dataset.status, seq: li.dataset.seq, clientId: li.dataset.clientId,
      content: li.querySelector('.content').textContent, statusText: li.querySelector('.status').textContent,
      buttons: [...li.querySelectorAll('button')].map(b => b.className) }))`);

    // 1. Name screen, then the chat.
    await page('Page.navigate', { url: server.url });
    await waitFor(`!document.getElementById('name-screen').hidden`, 'name screen');
    await shot('1-name');
    await evaluate(`document.getElementById('name-input').focus()`);
    await type('alice');
    await key('Enter');
    await waitFor(`document.getElementById('connection').dataset.state === 'connected'`, 'connected');
    check(await evaluate(`document.getElementById('current-room').textContent`) === '#general', 'opens #general');
    check(await evaluate(`document.activeElement.id`) === 'composer', 'composer has focus after sign-in');

    // 2. Markup is shown as text; Enter sends once however often it is pressed.
    const markup = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await type(markup);
    await Promise.all([key('Enter'), key('Enter'), key('Enter')]);
    await waitFor(`document.querySelector('#messages li.message[data-status="sent"]')`, 'first message sent');
    let list = await rows();
    check(list.length === 1 && list[0].content === markup, 'markup shown literally, sent once');
    check(await evaluate(`document.querySelectorAll('#messages img, #messages script').length`) === 0, 'no element injected');
    const left = await evaluate(`document.getElementById('composer').value`);
    check(left === '', `composer cleared (${JSON.stringify(left)})`);

    // 3. Shift+Enter makes a new line.
    await type('line one');
    await key('Enter', 8);
    await type('line two');
    await key('Enter');
    await waitFor(`document.querySelectorAll('#messages li.message[data-status="sent"]').length === 2`, 'multi-line sent');
    list = await rows();
    check(list[1].content === 'line one\nline two', 'Shift+Enter keeps the line break');

    // 4. Server errors: retried, then failed with reason, Retry and Delete; the next message waits behind.
    await dev('/__dev/fail-posts?count=3&status=503');
    await type('will fail');
    await key('Enter');
    await waitFor(`document.querySelector('#messages li.message[data-status="pending"]')`, 'pending echo');
    await type('queued behind');
    await key('Enter');
    await waitFor(`document.querySelector('#messages li.message[data-status="failed"]')`, 'failed after retries', 15_000);
    list = await rows();
    const failed = list.find((r) => r.status === 'failed');
    check(/503/.test(failed.statusText) && failed.buttons.includes('retry') && failed.buttons.includes('delete'), `failed shows reason and buttons (${failed.statusText})`);
    check(list.at(-1).status === 'pending' && list.at(-1).content === 'queued behind', 'next message holds behind the failed head');
    await shot('2-failed');
    await evaluate(`document.querySelector('#messages li.message[data-status="failed"] button.retry').click()`);
    await waitFor(`document.querySelectorAll('#messages li.message[data-status="sent"]').length === 4`, 'retry and queue drain');
    list = await rows();
    check(list.slice(2).map((r) => r.content).join('|') === 'will fail|queued behind', 'order kept after retry');

    // 5. A 4xx is final at once; Delete lets the room move on.
    await dev('/__dev/fail-posts?count=1&status=400');
    await type('rejected');
    await key('Enter');
    await waitFor(`document.querySelector('#messages li.message[data-status="failed"]')`, '400 fails at once', 3000);
    await evaluate(`document.querySelector('#messages li.message[data-status="failed"] button.delete').click()`);
    await waitFor(`!document.querySelector('#messages li.message[data-status="failed"]')`, 'deleted');

    // 6. Reload with a message still unsent: it is sent after the reload, once.
    await dev('/__dev/fail-posts?count=1000&status=503');
    await type('survives reload');
    await key('Enter');
    await waitFor(`localStorage.length > 0 && Object.keys(localStorage).some(k => k.startsWith('loomlite.outbox') && localStorage[k].includes('survives reload'))`, 'persisted');
    await dev('/__dev/fail-posts?count=0');
    await page('Page.reload');
    await waitFor(`[...document.querySelectorAll('#messages li.message[data-status="sent"] .content')].some(c => c.textContent === 'survives reload')`, 'resent after reload');
    list = await rows();
    check(list.filter((r) => r.content === 'survives reload').length === 1, 'restored message shown once');

    // 7. The stream drops: indicator changes, then catches up with what was posted meanwhile.
    const other = await fetch(new URL('/api/session', server.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'bob' }) });
    const bobCookie = other.headers.get('set-cookie').split(';')[0];
    await dev('/__dev/drop-sockets');
    await fetch(new URL('/api/rooms/general/messages', server.url), { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: bobCookie }, body: JSON.stringify({ clientId: 'bob-1', content: 'hi from bob' }) });
    await waitFor(`[...document.querySelectorAll('#messages .content')].some(c => c.textContent === 'hi from bob')`, 'catch-up after reconnect', 15_000);
    await waitFor(`document.getElementById('connection').dataset.state === 'connected'`, 'reconnected', 15_000);
    list = await rows();
    const seqs = list.map((r) => Number(r.seq));
    check(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), 'ordered by seq, no duplicates');

    check((await evaluate(`document.getElementById('announcer').textContent`)).includes('bob: hi from bob'), 'new message announced');

    // 7b. Reply: the answer shows what it answers.
    await evaluate(`[...document.querySelectorAll('#messages li.message')].find(li => li.querySelector('.content').textContent === 'hi from bob').querySelector('button.reply').click()`);
    check(await evaluate(`!document.getElementById('reply-bar').hidden && document.activeElement.id === 'composer'`), 'reply bar shown, composer focused');
    await type('hello bob');
    await key('Enter');
    await waitFor(`[...document.querySelectorAll('#messages li.message[data-status="sent"]')].some(li => li.querySelector('.content').textContent === 'hello bob' && li.querySelector('.reply-to')?.textContent.includes('bob: hi from bob'))`, 'reply sent with preview');
    check(await evaluate(`document.getElementById('reply-bar').hidden`), 'reply bar cleared after sending');

    // 8. Older pages load on scroll.
    for (let i = 1; i <= 130; i += 1) {
      await fetch(new URL('/api/rooms/busy/messages', server.url), { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: bobCookie }, body: JSON.stringify({ clientId: `b${i}`, content: `busy message ${i}` }) });
    }
    await evaluate(`document.getElementById('room-input').focus()`);
    await type('Busy');
    await key('Enter');
    await waitFor(`document.getElementById('current-room').textContent === '#busy' && document.querySelectorAll('#messages li.message').length >= 50`, 'busy room open');
    await evaluate(`document.getElementById('scroller').scrollTop = 0; document.getElementById('scroller').dispatchEvent(new Event('scroll'))`);
    await waitFor(`document.querySelectorAll('#messages li.message').length >= 100`, 'older page loaded');
    await evaluate(`document.getElementById('scroller').scrollTop = 0; document.getElementById('scroller').dispatchEvent(new Event('scroll'))`);
    await waitFor(`document.querySelectorAll('#messages li.message').length === 130`, 'all pages loaded');
    await waitFor(`document.getElementById('history-text').textContent.includes('beginning')`, 'beginning of room shown');
    await shot('3-desktop');

    // 9. Invalid room names are refused with a reason.
    await evaluate(`document.getElementById('room-input').focus()`);
    await type('-bad!');
    await key('Enter');
    check(await evaluate(`!document.getElementById('room-error').hidden`), 'invalid room name explained');

    // 10. Phone width.
    await page('Emulation.setDeviceMetricsOverride', { width: 390, height: 844, deviceScaleFactor: 2, mobile: true });
    await evaluate(`location.hash = '#general'`);
    await waitFor(`document.getElementById('current-room').textContent === '#general'`, 'back to general');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await shot('4-phone');
    check(await evaluate(`document.documentElement.scrollWidth <= 390`), 'no horizontal overflow on a phone');

    check(problems.length === 0, `no console errors or CSP violations${problems.length ? `: ${problems.join('; ')}` : ''}`);
    console.log(`screenshots in ${shots}`);
  } finally {
    browser.close();
    await server.close();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});

/**
 * A stand-in for the Loomlite server, to work on the page and smoke-test it in a browser without the
 * Java build: the same JSON/WebSocket API (in memory), the same Content-Security-Policy, plus a few
 * fault-injection hooks. It is a development tool: the real contract is the Java server's.
 *
 *   node modules/web-client/src/test/js/dev-server.mjs [port]      # then open http://127.0.0.1:8099/
 *
 * Fault hooks (POST, no body): /__dev/fail-posts?count=N&status=503  next N message posts fail
 *                              /__dev/drop-sockets                   close every event stream
 *
 * Not picked up by `node --test` (its name does not match *.test.mjs).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const PUBLIC = fileURLToPath(new URL('../../main/resources/public/', import.meta.url));
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
  + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml' };
const ROOM = /^[a-z0-9][a-z0-9-]{0,63}$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** @param {{port?: number, host?: string}} [options] */
export async function startDevServer({ port = 0, host = '127.0.0.1' } = {}) {
  const sessions = new Map(); // sid -> {userId, name}
  const rooms = new Map([['general', []]]); // roomId -> messages
  const sent = new Map(); // userId:clientId -> message
  const sockets = new Map(); // roomId -> Set<socket>
  const faults = { failPosts: 0, status: 503 };
  let nextMessageId = 1; // numeric, like the real server's

  const server = createServer(async (req, res) => {
    try {
      await route(req, res);
    } catch (error) {
      json(res, 500, { error: `internal error: ${error.message}` });
    }
  });

  async function route(req, res) {
    const url = new URL(req.url, 'http://localhost');
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (url.pathname.startsWith('/__dev/')) return devHook(url, res);
    if (!url.pathname.startsWith('/api/')) return serveStatic(url.pathname, res);
    const user = sessions.get(cookie(req, 'sid'));
    if (url.pathname === '/api/session') {
      if (req.method === 'GET') return user ? json(res, 200, user) : json(res, 401, { error: 'no session' });
      if (req.method === 'DELETE') {
        if (!user) return json(res, 401, { error: 'no valid session' });
        sessions.delete(cookie(req, 'sid'));
        res.setHeader('Set-Cookie', 'sid=; HttpOnly; Path=/; SameSite=Strict; Max-Age=0');
        res.writeHead(204);
        return res.end();
      }
      const body = await readJson(req);
      const name = typeof body?.name === 'string' ? body.name.trim() : '';
      if (!name || name.length > 32 || /[\u0000-\u001f\u007f-\u009f]/.test(name)) {
        return json(res, 400, { error: 'name must be 1 to 32 characters', field: 'name' });
      }
      const sid = randomUUID();
      const session = { userId: `u-${randomUUID().slice(0, 8)}`, name };
      sessions.set(sid, session);
      res.setHeader('Set-Cookie', `sid=${sid}; HttpOnly; Path=/; SameSite=Strict`);
      return json(res, 200, session);
    }
    if (!user) return json(res, 401, { error: 'no valid session' });
    if (url.pathname === '/api/rooms') {
      return json(res, 200, [...rooms].map(([roomId, list]) => ({ roomId, lastSeq: list.at(-1)?.seq ?? 0 })));
    }
    const match = /^\/api\/rooms\/([^/]+)\/messages$/.exec(url.pathname);
    if (!match || !ROOM.test(match[1])) return json(res, 404, { error: 'not found' });
    const roomId = match[1];
    if (req.method === 'GET') return history(roomId, url, res);
    return post(roomId, user, await readJson(req), res);
  }

  function history(roomId, url, res) {
    const list = rooms.get(roomId) ?? [];
    const limit = Math.min(500, Math.max(1, Number(url.searchParams.get('limit') ?? 100)));
    const after = url.searchParams.get('after');
    const before = url.searchParams.get('before');
    let page;
    let hasMore;
    if (after !== null) {
      const newer = list.filter((m) => m.seq > Number(after));
      page = newer.slice(0, limit);
      hasMore = newer.length > limit;
    } else {
      const older = before === null ? list : list.filter((m) => m.seq < Number(before));
      page = older.slice(-limit);
      hasMore = older.length > limit;
    }
    return json(res, 200, { messages: page, hasMore });
  }

  function post(roomId, user, body, res) {
    const { clientId, content, replyToId = null } = body ?? {};
    if (replyToId !== null && !Number.isInteger(replyToId)) {
      return json(res, 400, { error: 'replyToId must be a number', field: 'replyToId' });
    }
    if (!CLIENT_ID.test(clientId ?? '')) return json(res, 400, { error: 'invalid clientId', field: 'clientId' });
    if (typeof content !== 'string' || !content.trim() || content.length > 4000) {
      return json(res, 400, { error: 'content must be 1 to 4000 characters', field: 'content' });
    }
    const key = `${user.userId}:${clientId}`;
    const previous = sent.get(key);
    if (previous) {
      return previous.content === content ? json(res, 200, previous) : json(res, 409, { error: 'clientId reused' });
    }
    if (faults.failPosts > 0) {
      faults.failPosts -= 1;
      if (faults.status === 429 || faults.status === 503) res.setHeader('Retry-After', '1');
      return json(res, faults.status, { error: `injected failure ${faults.status}` });
    }
    const list = rooms.get(roomId) ?? [];
    rooms.set(roomId, list);
    const message = {
      messageId: nextMessageId++, roomId, seq: (list.at(-1)?.seq ?? 0) + 1, clientId, author: user.name,
      authorId: user.userId, content, replyToId, createdAt: new Date().toISOString(),
    };
    list.push(message);
    sent.set(key, message);
    for (const socket of sockets.get(roomId) ?? []) sendFrame(socket, { type: 'message', message });
    return json(res, 201, message);
  }

  function devHook(url, res) {
    if (url.pathname === '/__dev/fail-posts') {
      faults.failPosts = Number(url.searchParams.get('count') ?? 1);
      faults.status = Number(url.searchParams.get('status') ?? 503);
    } else if (url.pathname === '/__dev/drop-sockets') {
      for (const set of sockets.values()) for (const socket of set) socket.destroy();
    }
    return json(res, 200, { ok: true });
  }

  async function serveStatic(pathname, res) {
    const file = normalize(join(PUBLIC, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(PUBLIC)) return json(res, 404, { error: 'not found' });
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      json(res, 404, { error: 'not found' });
    }
  }

  server.on('upgrade', (req, socket) => {
    const url = new URL(req.url, 'http://localhost');
    const match = /^\/api\/rooms\/([^/]+)\/events$/.exec(url.pathname);
    if (!match || !ROOM.test(match[1]) || !sessions.has(cookie(req, 'sid'))) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
      + `Sec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const roomId = match[1];
    const after = Number(url.searchParams.get('after') ?? 0);
    for (const message of rooms.get(roomId) ?? []) if (message.seq > after) sendFrame(socket, { type: 'message', message });
    if (!sockets.has(roomId)) sockets.set(roomId, new Set());
    sockets.get(roomId).add(socket);
    const forget = () => sockets.get(roomId)?.delete(socket);
    socket.on('close', forget);
    socket.on('error', forget);
    // The page never sends data frames; a close frame (opcode 8) is answered by closing.
    socket.on('data', (chunk) => {
      if ((chunk[0] & 0x0f) === 8) socket.end(Buffer.from([0x88, 0]));
    });
  });

  await new Promise((resolve) => server.listen(port, host, resolve));
  return {
    url: `http://${host}:${server.address().port}/`,
    close: () => new Promise((resolve) => {
      for (const set of sockets.values()) for (const socket of set) socket.destroy();
      server.close(resolve);
    }),
  };
}

function sendFrame(socket, frame) {
  const payload = Buffer.from(JSON.stringify(frame));
  let header;
  if (payload.length < 126) header = Buffer.from([0x81, payload.length]);
  else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  socket.write(Buffer.concat([header, payload]));
}

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function cookie(req, name) {
  const pair = (req.headers.cookie ?? '').split(/;\s*/).find((p) => p.startsWith(`${name}=`));
  return pair?.slice(name.length + 1);
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dev = await startDevServer({ port: Number(process.argv[2] ?? 8099) });
  console.log(`Loomlite dev server on ${dev.url}`);
}

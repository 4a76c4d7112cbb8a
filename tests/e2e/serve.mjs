// A tiny static file server for the built page (dist/), with the MIME types a WebAssembly page
// needs (application/wasm, so the browser can compile while downloading). Node built-ins only.
//
// As a module:  const server = await startServer({ root, port: 0 }); server.url; await server.close();
// As a command: node tests/e2e/serve.mjs [--dir dist] [--host 127.0.0.1] [--port 8080]
//               (port 0 lets the OS choose a free one; the URL is printed)

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = process.env.GAPWISE_DIST
  ? resolve(process.env.GAPWISE_DIST)
  : join(REPO_ROOT, 'dist');

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

export function mimeType(path) {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The types a static host compresses (text and WebAssembly); images and fonts are already. */
const COMPRESSED = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.json', '.csv', '.txt', '.svg']);

/**
 * Serves `root` on `host`:`port` (0: a free port the OS picks). Resolves once listening. With
 * `gzip`, text and WebAssembly go gzip-compressed (level 6, as common hosts send them) to a
 * browser that accepts it, as a real host would; the benchmark uses it for its slow-line visits.
 */
export async function startServer({ root = DIST, host = '127.0.0.1', port = 0, log = false, gzip = false } = {}) {
  const rootDir = resolve(root);
  const compressed = new Map();
  const server = createServer(async (req, res) => {
    const done = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
      if (log) console.log(`${status} ${req.method} ${req.url}`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return done(405, 'method not allowed\n', { allow: 'GET, HEAD' });
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return done(400, 'bad request\n');
    }
    if (pathname.includes('\0')) return done(400, 'bad request\n');
    let file = resolve(rootDir, '.' + pathname);
    if (file !== rootDir && !file.startsWith(rootDir + sep)) return done(403, 'forbidden\n');
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile()) return done(404, 'not found\n');
      const accepts = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      if (gzip && accepts && COMPRESSED.has(extname(file).toLowerCase())) {
        const key = `${file}:${info.mtimeMs}`;
        if (!compressed.has(key)) compressed.set(key, gzipSync(await readFile(file), { level: 6 }));
        const body = compressed.get(key);
        res.writeHead(200, {
          'content-type': mimeType(file),
          'content-encoding': 'gzip',
          'content-length': body.length,
          vary: 'accept-encoding',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        if (log) console.log(`200 ${req.method} ${req.url} (gzip)`);
        return res.end(req.method === 'HEAD' ? undefined : body);
      }
      res.writeHead(200, {
        'content-type': mimeType(file),
        'content-length': info.size,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      if (log) console.log(`200 ${req.method} ${req.url}`);
      if (req.method === 'HEAD') return res.end();
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      return done(404, 'not found\n');
    }
  });
  // Keep-alive sockets would hold close() open until they time out.
  server.keepAliveTimeout = 1000;
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const { port: actual } = server.address();
  return {
    url: `http://${host}:${actual}/`,
    origin: `http://${host}:${actual}`,
    port: actual,
    root: rootDir,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections?.();
      }),
  };
}

function parseArgs(argv) {
  const opts = { root: DIST, host: '127.0.0.1', port: 8080 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--dir') opts.root = resolve(value());
    else if (flag === '--host') opts.host = value();
    else if (flag === '--port') opts.port = Number(value());
    else if (flag === '--log') opts.log = true;
    else {
      console.error(`usage: node serve.mjs [--dir DIR] [--host HOST] [--port PORT] [--log]`);
      process.exit(2);
    }
  }
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const opts = parseArgs(process.argv.slice(2));
  try {
    const index = await stat(join(opts.root, 'index.html'));
    if (!index.isFile()) throw new Error();
  } catch {
    console.error(`serve: ${opts.root}/index.html not found; build first: trunk build --release --offline`);
    process.exit(1);
  }
  let server;
  try {
    server = await startServer(opts);
  } catch (e) {
    console.error(`serve: cannot listen on ${opts.host}:${opts.port}: ${e.message}`);
    process.exit(1);
  }
  console.log(`serve: ${server.root} at ${server.url} (Ctrl-C to stop)`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

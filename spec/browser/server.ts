/**
 * A static file server for the browser suite, on 127.0.0.1 only: URL prefixes map to folders
 * (a prefix ending in `/` and requested as is lists its `.json` files), pages are in-memory HTML,
 * and `.wasm` goes out as `application/wasm` (which tfjs's wasm backend streams).
 */
import { createServer } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

export interface StaticServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Every path requested that was not found (a page that asks for a missing file is broken). */
  readonly notFound: string[];
  close(): Promise<void>;
}

export async function serveStatic(folders: Record<string, string>, pages: Record<string, string>): Promise<StaticServer> {
  const notFound: string[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const send = (status: number, type: string, body: string | Buffer): void => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (pages[path] !== undefined) return send(200, TYPES['.html'], pages[path]);
    for (const [prefix, folder] of Object.entries(folders)) {
      if (!path.startsWith(prefix)) continue;
      if (path === prefix && prefix.endsWith('/')) {
        const names = readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
        return send(200, TYPES['.json'], JSON.stringify(names));
      }
      const file = resolve(folder, `.${sep}${path.slice(prefix.length)}`);
      if ((file === folder || file.startsWith(folder + sep)) && statSync(file, { throwIfNoEntry: false })?.isFile()) {
        return send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
      }
    }
    notFound.push(path);
    return send(404, 'text/plain', `not found: ${path}`);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    notFound,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** A page: a title, an optional import map, and module scripts. */
export function html(title: string, body: string, importMap?: Record<string, string>): string {
  const map = importMap === undefined ? '' : `<script type="importmap">${JSON.stringify({ imports: importMap })}</script>\n`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,">
${map}</head><body>
${body}
</body></html>
`;
}


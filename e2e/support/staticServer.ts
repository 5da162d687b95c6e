import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

export interface StaticServer {
  /** Absolute URL of the app, ending in the subpath, e.g. http://127.0.0.1:1234/flowclas/ */
  appUrl: string;
  origin: string;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  root: string;
  /** Subpath the app is mounted under, like a project page on a static host. */
  subpath: string;
  /** Send COOP/COEP so the page is cross-origin isolated (WASM threads). */
  crossOriginIsolated: boolean;
}

/** Serves a built app under a subpath, the way a plain static host would. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const prefix = `/${options.subpath.replace(/^\/|\/$/g, '')}/`;
  const serveFiles = sirv(options.root, { dev: false, etag: true, dotfiles: false });
  const server: Server = createServer((request, response) => {
    if (options.crossOriginIsolated) {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    const url = request.url ?? '/';
    if (!url.startsWith(prefix)) {
      response.statusCode = 404;
      response.end('not found');
      return;
    }
    request.url = url.slice(prefix.length - 1);
    serveFiles(request, response, () => {
      response.statusCode = 404;
      response.end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    appUrl: `${origin}${prefix}`,
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

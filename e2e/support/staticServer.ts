import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

export interface StaticServer {
  origin: string;
  /** Absolute URL of a mount, ending in "/", e.g. http://127.0.0.1:1234/flowclas/ */
  urlOf(prefix: string): string;
  /** Every request path seen, in order (to check what went over the network). */
  requests: string[];
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** Folders served under path prefixes, like a project page on a static host. */
  mounts: { prefix: string; root: string }[];
  /** Send COOP/COEP so pages are cross-origin isolated (WASM threads). */
  crossOriginIsolated: boolean;
}

const normalisePrefix = (prefix: string) =>
  `/${prefix.replace(/^\/|\/$/g, '')}/`.replace('//', '/');

/** Serves built files under subpaths, the way a plain static host would. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const mounts = options.mounts.map((mount) => ({
    prefix: normalisePrefix(mount.prefix),
    serve: sirv(mount.root, { dev: true, etag: true, dotfiles: false }),
  }));
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '/';
    requests.push(url);
    if (options.crossOriginIsolated) {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    const mount = mounts.find((candidate) => url.startsWith(candidate.prefix));
    const notFound = () => {
      response.statusCode = 404;
      response.end('not found');
    };
    if (!mount) return notFound();
    request.url = url.slice(mount.prefix.length - 1);
    mount.serve(request, response, notFound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    urlOf: (prefix) => `${origin}${normalisePrefix(prefix)}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

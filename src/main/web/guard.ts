import type { IncomingHttpHeaders } from 'node:http';

export const TOKEN_HEADER = 'x-shotcast-token';
export const TOKEN_COOKIE = 'shotcast_token';

/** Only a loopback Host (with our port) is served: a rebinding DNS name pointing here is refused. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

export function isLoopbackAddress(addr: string | undefined): boolean {
  return addr === '127.0.0.1' || addr === '::ffff:127.0.0.1' || addr === '::1';
}

/** The token from the header, the cookie, or (first visit only) the query string. */
export function readToken(headers: IncomingHttpHeaders, fromQuery: string | null): string | null {
  const h = headers[TOKEN_HEADER];
  if (typeof h === 'string' && h) return h;
  const cookie = headers.cookie;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === TOKEN_COOKIE) return v.join('=');
    }
  }
  return fromQuery;
}

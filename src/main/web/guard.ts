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

/**
 * Every token a request carries: the header, the URL's ?token= and the cookie, in that order. The
 * request is let in when any of them is the run's token, so a fresh `?token=` URL opens the page in
 * a browser that still holds the cookie of an earlier run (whose token is now wrong).
 */
export function readTokens(headers: IncomingHttpHeaders, fromQuery: string | null): string[] {
  const tokens: string[] = [];
  const h = headers[TOKEN_HEADER];
  if (typeof h === 'string' && h) tokens.push(h);
  if (fromQuery) tokens.push(fromQuery);
  const cookie = headers.cookie;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === TOKEN_COOKIE) tokens.push(v.join('='));
    }
  }
  return tokens;
}

/**
 * The renderer's Content Security Policy, served by both doors (Electron's app:// protocol and the web
 * host). Scripts only from the app itself; no eval, no inline script, no remote anything. Inline styles
 * are allowed because Leaflet and React position elements with style attributes.
 */
export function contentSecurityPolicy(extra: { tiles?: string } = {}): string {
  const img = ["'self'", 'data:', 'blob:', ...(extra.tiles ? [extra.tiles] : [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${img}`,
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    // No frames at all (the Briefing panel draws its PDF's pages with pdf.js), and no plugins.
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

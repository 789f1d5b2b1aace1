/**
 * The renderer's Content Security Policy: only our own bundled files, no inline script, no
 * eval, no remote origin of any kind, no plugins, no form submission. Every HTML file carries
 * it as a meta tag (checked at build); every response also carries it as a header, with
 * `frame-ancestors 'none'` added, which only a header can enforce.
 */
export const META_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const CONTENT_SECURITY_POLICY = `${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

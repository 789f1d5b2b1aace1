/**
 * The renderer's Content Security Policy: only our own bundled files, no inline script, no
 * eval, no remote origin of any kind, no plugins, no framing, no form submission.
 * It is set both as a meta tag in every HTML file (checked at build) and as a response header.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

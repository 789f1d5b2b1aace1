/**
 * The project's homepage for packages that must name one (a .deb): the repository the checkout
 * was cloned from, as an https URL. None for a remote that is not a web host (a local path).
 */
export function homepageFromRemote(remote: string): string | undefined {
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(remote.trim());
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  let url: URL;
  try {
    url = new URL(remote.trim());
  } catch {
    return undefined;
  }
  if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol) || url.hostname === '') return undefined;
  const path = url.pathname.replace(/\.git\/?$/, '').replace(/\/$/, '');
  return path.length > 1 ? `https://${url.hostname}${path}` : undefined;
}

/**
 * Opens a console sign-in link as a browser would (the `login` redirect, then the console page)
 * and reads whom the STS emulator's console says it signed in.
 */
export interface ConsolePage {
  status: number;
  arn: string | undefined;
  account: string | undefined;
  destination: string | undefined;
}

function field(html: string, id: string): string | undefined {
  const m = new RegExp(`<code id="${id}">([^<]*)</code>`).exec(html);
  return m?.[1]?.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

export async function openConsoleLink(url: string): Promise<ConsolePage> {
  const login = await fetch(url, { redirect: 'manual' });
  const location = login.headers.get('location');
  if (login.status !== 302 || !location) return { status: login.status, arn: undefined, account: undefined, destination: undefined };
  const page = await fetch(new URL(location, url));
  const html = await page.text();
  return { status: page.status, arn: field(html, 'arn'), account: field(html, 'account'), destination: field(html, 'destination') };
}

/**
 * What a browser does at a provider's sign-in pages, for server tests: follows redirects with a
 * cookie jar, fills and posts each form (every hidden input, `prompt` included, as
 * oidc-provider's development pages expect), and stops at the first redirect to `stopAt` (our
 * callback), returning that URL.
 */
export async function loginAtProvider(start: string, login: string, stopAt: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(start);
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.toString().startsWith(stopAt)) return next;
      url = next;
      init = {};
      continue;
    }
    const page = await response.text();
    const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(page);
    if (!form) throw new Error(`no form at ${url} (${response.status}): ${page.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input([^>]*)>/gi)) {
      const name = /name="([^"]*)"/.exec(input[1]!)?.[1];
      if (!name) continue;
      const value = /value="([^"]*)"/.exec(input[1]!)?.[1] ?? '';
      fields.set(name, name === 'login' ? login : name === 'password' ? 'any password' : value.replace(/&#(\d+);|&quot;|&amp;/g, (m, n) => (n ? String.fromCharCode(Number(n)) : m === '&quot;' ? '"' : '&')));
    }
    const button = /<button[^>]*name="([^"]*)"[^>]*value="([^"]*)"/i.exec(form[2]!);
    if (button) fields.set(button[1]!, button[2]!);
    url = new URL(form[1]!, url);
    init = { method: 'POST', body: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('the provider did not send the browser back');
}

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** A GitHub account of the mock: its numeric id, and its addresses as `/user/emails` lists them. */
export interface MockGithubUser {
  id: number;
  login: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface GithubMock {
  /** `PERSO_GITHUB_BASE_URL` and `PERSO_GITHUB_API_URL` for the server under test. */
  baseUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  users: Map<string, MockGithubUser>;
  /** How the next token requests are answered: `hang` never answers (a provider timing out). */
  tokenMode: 'ok' | 'hang' | 'down';
  /** The token requests received, to check what the server sent (PKCE verifier included). */
  tokenRequests: URLSearchParams[];
  stop(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

async function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

/**
 * A small GitHub-like OAuth 2 server on 127.0.0.1: an authorize page with a "Username" field
 * and an "Authorize" button, a token endpoint that checks the client, the redirect URI and the
 * PKCE verifier (S256) of each single-use code, and `/user` and `/user/emails`.
 */
export async function startGithubMock(options: { port?: number } = {}): Promise<GithubMock> {
  const codes = new Map<string, { login: string; challenge: string; redirectUri: string }>();
  const tokens = new Map<string, string>();
  const hanging = new Set<() => void>();
  const mock: GithubMock = {
    baseUrl: '',
    apiUrl: '',
    clientId: 'github-client',
    clientSecret: 'github-secret',
    users: new Map(),
    tokenMode: 'ok',
    tokenRequests: [],
    stop: async () => {},
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', mock.baseUrl);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const hidden = ['client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']
        .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(url.searchParams.get(name) ?? '')}">`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>Sign in to GitHub mock</title><h1>Sign in to GitHub mock</h1>
        <form method="post" action="/login/oauth/authorize">${hidden}
          <label>Username <input name="login" autocomplete="off"></label>
          <button type="submit" name="decision" value="allow">Authorize</button>
          <button type="submit" name="decision" value="deny">Cancel</button>
        </form>`);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/authorize') {
      const form = await readBody(req);
      const back = new URL(form.get('redirect_uri')!);
      back.searchParams.set('state', form.get('state') ?? '');
      if (form.get('decision') === 'deny') back.searchParams.set('error', 'access_denied');
      else if (form.get('code_challenge_method') !== 'S256' || !mock.users.has(form.get('login') ?? '')) {
        json(400, { error: 'unknown user or no S256 challenge' });
        return;
      } else {
        const code = randomBytes(10).toString('hex');
        codes.set(code, { login: form.get('login')!, challenge: form.get('code_challenge')!, redirectUri: form.get('redirect_uri')! });
        back.searchParams.set('code', code);
      }
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const form = await readBody(req);
      mock.tokenRequests.push(form);
      if (mock.tokenMode === 'hang') {
        hanging.add(() => res.destroy());
        return;
      }
      if (mock.tokenMode === 'down') return json(503, { error: 'unavailable' });
      const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString() : undefined;
      const [id, secret] = basic ? basic.split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      // GitHub answers a refused exchange with 200 and an `error` field.
      if (id !== mock.clientId || secret !== mock.clientSecret) return json(200, { error: 'incorrect_client_credentials' });
      if (!grant || grant.redirectUri !== form.get('redirect_uri') || !verifier || grant.challenge !== challenge) return json(200, { error: 'bad_verification_code' });
      const token = randomBytes(16).toString('hex');
      tokens.set(token, grant.login);
      return json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const login = tokens.get(req.headers.authorization?.replace(/^Bearer /i, '') ?? '');
    const user = login === undefined ? undefined : mock.users.get(login);
    if (req.method === 'GET' && (url.pathname === '/user' || url.pathname === '/user/emails')) {
      if (!user) return json(401, { message: 'Bad credentials' });
      return json(200, url.pathname === '/user' ? { id: user.id, login: user.login } : user.emails);
    }
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  mock.baseUrl = `http://127.0.0.1:${port}`;
  mock.apiUrl = `http://127.0.0.1:${port}`;
  mock.stop = () =>
    new Promise<void>((resolve) => {
      for (const end of hanging) end();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return mock;
}

/** The environment that points the server at the mock. */
export const githubEnv = (mock: GithubMock) => ({
  PERSO_GITHUB_CLIENT_ID: mock.clientId,
  PERSO_GITHUB_CLIENT_SECRET: mock.clientSecret,
  PERSO_GITHUB_BASE_URL: mock.baseUrl,
  PERSO_GITHUB_API_URL: mock.apiUrl,
});

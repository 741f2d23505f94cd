import { OpenAPIHono } from '@hono/zod-openapi';
import { revocationWatchFor } from './api-keys/revocation/for-store.js';
import type { RevocationWatch } from './api-keys/revocation/watch.js';
import { createOAuthClients, type OAuthClients } from './auth/oauth-client.js';
import { createRateLimits, type RateLimits } from './auth/rate-limit.js';
import { createSessions } from './auth/sessions.js';
import { UsageRecorder } from './auth/usage-recorder.js';
import { type Clock, systemClock } from './clock.js';
import { allAllowedOrigins, type AppConfig } from './config.js';
import { AppError } from './errors.js';
import { securityHeaders } from './http/security-headers.js';
import { corsForAllowedOrigins, hostGuard, jsonBodyOnly, onError, oneSessionCookie, originGuard, originPolicy, validationHook } from './http.js';
import { floodGate, type Tarpit } from './http/flood-gate.js';
import type { DevOutbox } from './mail/dev-outbox.js';
import type { Mailer } from './mail/mailer.js';
import { MailQueue } from './mail/queue.js';
import { accountPages } from './routes/account-pages.js';
import { accountRoutes } from './routes/accounts.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { demoRoutes } from './routes/demo.js';
import { devRoutes } from './routes/dev.js';
import { healthRoutes } from './routes/health.js';
import { oauthRoutes } from './routes/oauth.js';
import { passkeyRoutes } from './routes/passkeys.js';
import { v1Routes } from './routes/v1.js';
import type { Services } from './services.js';
import type { Store } from './store/types.js';

export interface AppDeps {
  store: Store;
  mailer: Mailer;
  config: AppConfig;
  clock?: Clock;
  /** Batches API key usage writes; it starts at the first use, the caller stops it at shutdown (see main.ts). Without one the app keeps its own. */
  usage?: UsageRecorder;
  limits?: RateLimits;
  /** Sends queued mail through `mailer`; built and started here when not given (main.ts passes its own to stop it at shutdown). */
  mailQueue?: MailQueue;
  /** Mounted as `/api/dev/outbox` and `/dev/mailbox` when `config.devOutbox` (API.md §1). */
  outbox?: DevOutbox;
  /** Where the demo page and the built kit live, when `config.demo` is on. */
  demoRoot?: { demoDir: string; distDir: string };
  log?: (message: string, error?: unknown) => void;
  /**
   * The `/v1` verified-key index and its revocation watch. SQLite stores get one by default;
   * for PostgreSQL main.ts starts one (a listener and a lease) and stops it at shutdown.
   */
  verifiedKeys?: RevocationWatch;
  /** Social providers' clients; tests pass their own to shorten the provider timeout. */
  oauth?: OAuthClients;
  /** Holds refused sign-ins and sign-ups (http/flood-gate.ts); tests pass `new Tarpit(0)` to time the refusal itself. */
  tarpit?: Tarpit;
}

const PAGE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
};

/** The reference server as a Hono app; everything it depends on is passed in. */
export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const limits = deps.limits ?? createRateLimits(clock);
  let mail = deps.mailQueue;
  if (!mail) {
    mail = new MailQueue(deps.store, deps.mailer, clock, log);
    mail.start();
  }
  const sessions = createSessions(deps.store, clock, deps.config);
  const security = securityHeaders({
    contentSecurityPolicy: PAGE_CSP,
    crossOriginResourcePolicy: 'same-site',
    strictTransportSecurity: deps.config.cookie.secure ? 'max-age=15552000; includeSubDomains' : false,
    // A route's own value wins: /kit/* sends CORP cross-origin so other sites can load the kit.
    overwrite: false,
  });
  const services: Services = {
    store: deps.store,
    config: deps.config,
    clock,
    sessions,
    limits,
    usage: deps.usage ?? new UsageRecorder(deps.store, clock, log),
    verifiedKeys: deps.verifiedKeys ?? revocationWatchFor(deps.store),
    mail,
    accounts: { store: deps.store, clock, config: deps.config, limits, mail },
    oauth: deps.oauth ?? createOAuthClients(deps.config),
    security,
    log,
  };
  const allowedOrigins = allAllowedOrigins(deps.config);
  const originAllowed = originPolicy(deps.config, allowedOrigins, sessions);

  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.use(
    '*',
    security.middleware,
    oneSessionCookie(),
  );
  if (deps.config.devOutbox) app.use('*', hostGuard(deps.config.publicUrl));
  app.use(
    '/api/*',
    corsForAllowedOrigins(allowedOrigins, originAllowed),
    async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    },
    originGuard(originAllowed),
    floodGate({ ...limits, tarpit: deps.tarpit }),
    jsonBodyOnly(),
  );
  app.use('/v1/*', jsonBodyOnly());

  const routes = app
    .route('/', accountRoutes(services))
    .route('/', accountPages(services))
    .route('/', apiKeyRoutes(services))
    .route('/', passkeyRoutes(services))
    .route('/', oauthRoutes(services))
    .route('/', v1Routes(services))
    .route('/', healthRoutes(security));

  if (deps.config.devOutbox && deps.outbox) app.route('/', devRoutes(deps.outbox));
  if (deps.config.demo && deps.demoRoot) app.route('/', demoRoutes(deps.demoRoot));

  // Built on first request, once every route is registered, then served from memory.
  let openApiDocument: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get('/api/openapi.json', (c) => {
    openApiDocument ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Perso kit reference server',
        version: '0.1.0',
        description: 'Accounts, email verification, passkeys, sessions and API keys. Errors: {"error":{"code","message","fields?"}}.',
      },
      servers: [{ url: deps.config.publicUrl }],
    });
    return c.json(openApiDocument);
  });

  // Returned, not thrown: on paths only `*` matches, a throw here would skip the middleware's
  // after-work and the 404 would leave without the security headers.
  app.notFound((c) => c.json(new AppError(404, 'not_found').toBody(), 404));
  app.onError(onError(log));
  return routes;
}

export type AppType = ReturnType<typeof createApp>;

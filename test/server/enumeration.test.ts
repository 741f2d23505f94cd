import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../server/mail/smtp.js';
import { median } from './expect.js';
import { createHarness, type Harness, LOOPBACK_PEER, testConfig } from './helpers.js';
import { startSmtpSink } from './smtp-sink.js';

/**
 * No account enumeration: for an address nobody uses, one with an open sign-up and one with a
 * verified account, every public route answers the same bytes (random ids aside) and takes the
 * same time, with mail going out through a real SMTP server meanwhile.
 */
const STATES = ['unknown', 'unverified', 'verified'] as const;
type State = (typeof STATES)[number];
const RUNS = 50;
const PASSWORD = 'correct horse battery';
const ATTACKER = 'attacker chosen password';

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let h: Harness;
let mailer: ReturnType<typeof createSmtpMailer>;
let nextAddress = 0;

beforeAll(async () => {
  sink = await startSmtpSink();
  mailer = createSmtpMailer(sink.url, 'Perso <no-reply@perso.test>');
  h = createHarness({ mailer, config: testConfig({ PERSO_TRUST_PROXY: 'true' }) });
});
afterAll(async () => {
  await h.close();
  mailer.close();
  await sink.close();
});

/** A request as a fresh client: its own address (so per-address limits stay out of the way) and no cookies. */
async function request(path: string, body: unknown): Promise<{ response: Response; text: string; ms: number }> {
  nextAddress += 1;
  const headers = { 'content-type': 'application/json', origin: 'http://localhost:8787', 'x-forwarded-for': `203.0.${nextAddress >> 8}.${nextAddress & 255}` };
  const started = performance.now();
  const response = await h.app.request(path, { method: 'POST', headers, body: JSON.stringify(body) }, LOOPBACK_PEER);
  const text = await response.text();
  const ms = performance.now() - started;
  return { response, text, ms };
}

async function prepare(state: State, email: string): Promise<void> {
  if (state === 'unverified') await request('/api/signup', { email, password: PASSWORD });
  if (state === 'verified') {
    const { attempt } = JSON.parse((await request('/api/signup', { email, password: PASSWORD })).text) as { attempt: string };
    await h.mail.drain();
    const code = /Verification code: (\d{6})/.exec((await sink.mailTo(email)).mail.text ?? '')?.[1];
    expect((await request('/api/verify-email', { attempt, code })).response.status).toBe(200);
  }
}

/** Status, headers (values of cookies and dates masked) and body with random ids masked. */
function shape({ response, text }: { response: Response; text: string }): string {
  const headers = [...response.headers].map(([k, v]) => `${k}: ${k === 'set-cookie' ? v.replace(/=[^;]+/, '=…') : k === 'date' ? '…' : v}`);
  const body = text.replace(/"attempt":"[\w-]+"/g, '"attempt":"…"');
  return [response.status, ...headers, body].join('\n');
}

const flows = {
  'sign-up': async (email: string) => request('/api/signup', { email, password: ATTACKER }),
  'sign-in with the sign-up’s password': async (email: string) => {
    await request('/api/signup', { email, password: ATTACKER });
    return request('/api/signin', { email, password: ATTACKER });
  },
  resend: async (email: string) => {
    const { text } = await request('/api/signup', { email, password: ATTACKER });
    const { attempt } = JSON.parse(text) as { attempt: string };
    return request('/api/verify-email/resend', { attempt });
  },
  'password reset': async (email: string) => request('/api/password-reset', { email }),
};

describe('no account enumeration', () => {
  for (const [flow, run] of Object.entries(flows)) {
    it(`${flow}: byte-identical answers and times within noise`, async () => {
      const shapes = new Map<State, string>();
      const times = new Map<State, number[]>(STATES.map((s) => [s, []]));
      for (let i = 0; i < RUNS; i++) {
        // Interleaved, so drift on the machine hits every state alike.
        for (const state of STATES) {
          // The server's global sign-up budget counts per second of its (test) clock.
          h.clock.advance(1_000);
          const email = `${flow.replace(/\W/g, '')}-${state}-${i}@example.com`;
          await prepare(state, email);
          await h.mail.drain();
          // The flow's own sign-up must be the newest attempt for the address.
          h.clock.advance(1);
          const answer = await run(email);
          times.get(state)!.push(answer.ms);
          const seen = shape(answer);
          if (!shapes.has(state)) shapes.set(state, seen);
        }
      }
      expect(shapes.get('unverified')).toBe(shapes.get('unknown'));
      expect(shapes.get('verified')).toBe(shapes.get('unknown'));
      const medians = STATES.map((s) => median(times.get(s)!));
      console.log(`${flow}: median ms ${STATES.map((s, i) => `${s} ${medians[i]!.toFixed(2)}`).join(', ')}`);
      // Generous: the argon2 hash dominates where there is one; 40 % or 3 ms apart would be a tell.
      const spread = Math.max(...medians) - Math.min(...medians);
      expect(spread).toBeLessThan(Math.max(3, 0.4 * Math.min(...medians)));
    }, 120_000);
  }
});

import { afterEach, describe, expect, it } from 'vitest';
import type { MailMessage, Mailer } from '../../server/mail/mailer.js';
import { MailQueue } from '../../server/mail/queue.js';
import { TestClock } from './helpers.js';
import { openTestStore, type TestStore } from './store/test-stores.js';

const message = (to: string): MailMessage => ({ to, subject: 's', text: 't', html: '<p>t</p>', links: [] });

/** A mailer that fails its first `failures` sends. */
function flaky(failures: number): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(m) {
      if (failures-- > 0) throw new Error('421 try later');
      sent.push(m);
    },
  };
}

const stores: TestStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.dispose();
});
const openStore = async () => {
  const opened = await openTestStore();
  stores.push(opened);
  return opened.store;
};

describe('MailQueue', () => {
  it('retries a failed mail after its back-off, then sends it once', async () => {
    const store = await openStore();
    const clock = new TestClock();
    const mailer = flaky(2);
    const queue = new MailQueue(store, mailer, clock, () => {});
    await queue.enqueue(message('ada@example.com'));
    await queue.drain();
    expect(mailer.sent).toEqual([]);
    clock.advance(9_999);
    await queue.drain();
    expect(mailer.sent).toEqual([]);
    clock.advance(1);
    await queue.drain();
    expect(mailer.sent).toEqual([]); // second failure: now a minute
    clock.advance(60_000);
    await queue.drain();
    await queue.drain();
    expect(mailer.sent.map((m) => m.to)).toEqual(['ada@example.com']);
  });

  it('gives up after the last retry and keeps the row only for the mail budget', async () => {
    const store = await openStore();
    const clock = new TestClock();
    const logged: string[] = [];
    const queue = new MailQueue(store, flaky(100), clock, (line) => logged.push(line));
    await queue.enqueue(message('ada@example.com'));
    for (let i = 0; i < 8; i++) {
      await queue.drain();
      clock.advance(3 * 3_600_000);
    }
    expect(logged.at(-1)).toMatch(/^Giving up on a mail to ada@example.com after 6 tries/);
    expect(await store.countMailTo('ada@example.com', 0)).toBe(1);
    expect(await store.claimDueMail(clock.now(), 10, 1000)).toEqual([]);
  });

  it('sends a mail queued before a restart, and a mail taken by a crashed worker after its lease', async () => {
    const store = await openStore();
    const clock = new TestClock();
    await new MailQueue(store, flaky(0), clock, () => {}).enqueue(message('before@example.com'));
    clock.advance(1);
    // A worker took this one and died before marking it.
    await new MailQueue(store, flaky(0), clock, () => {}).enqueue(message('crashed@example.com'));
    expect((await store.claimDueMail(clock.now(), 1, 120_000)).map((m) => m.to)).toEqual(['before@example.com']);
    clock.advance(1);
    const mailer = flaky(0);
    const next = new MailQueue(store, mailer, clock, () => {});
    await next.drain();
    expect(mailer.sent.map((m) => m.to)).toEqual(['crashed@example.com']);
    clock.advance(120_000);
    await next.drain();
    expect(mailer.sent.map((m) => m.to)).toEqual(['crashed@example.com', 'before@example.com']);
  });
});

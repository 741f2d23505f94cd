import type { MailMessage, Mailer } from './mailer.js';

export interface OutboxMessage extends MailMessage {
  sentAt: string;
}

const KEEP = 100;

/** Development mail: kept in memory (newest first, the last 100) and printed to the console. */
export class DevOutbox implements Mailer {
  readonly messages: OutboxMessage[] = [];

  constructor(
    private readonly now: () => number,
    private readonly log: (line: string) => void = (line) => console.log(line),
  ) {}

  async send(message: MailMessage): Promise<void> {
    this.messages.unshift({ ...message, sentAt: new Date(this.now()).toISOString() });
    this.messages.length = Math.min(this.messages.length, KEEP);
    this.log(`[dev outbox] to ${message.to}: ${message.subject}${message.links.map((l) => `\n  ${l}`).join('')}`);
  }
}

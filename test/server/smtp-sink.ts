import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  mail: ParsedMail;
}

/** A real SMTP server on a free loopback port that keeps what it receives. */
export async function startSmtpSink(): Promise<{
  port: number;
  url: string;
  inbox: Received[];
  waitFor(count: number): Promise<void>;
  /** The newest mail to `to`, once it has arrived. */
  mailTo(to: string): Promise<Received>;
  close(): Promise<void>;
}> {
  const inbox: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          inbox.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    inbox,
    async waitFor(count) {
      const deadline = Date.now() + 10_000;
      while (inbox.length < count) {
        if (Date.now() > deadline) throw new Error(`the SMTP sink got ${inbox.length} of ${count} mails`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async mailTo(to) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = inbox.filter((m) => m.to.includes(to)).at(-1);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} reached the SMTP sink`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

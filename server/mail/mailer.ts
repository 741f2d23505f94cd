export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The links the mail carries, so tools (and the dev outbox) can follow them. */
  links: string[];
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

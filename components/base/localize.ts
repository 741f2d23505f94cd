import { en, type MessageKey } from './translations/en.js';

export type Messages = Record<MessageKey, string>;

let active: Messages = en;

/** Replaces the strings the kit shows (e.g. a translation), falling back to English per key. */
export function setMessages(messages: Partial<Messages>): void {
  active = { ...en, ...messages };
}

/** The active string for `key`, with `{name}` placeholders filled from `values`. */
export function msg(key: MessageKey, values: Record<string, string | number> = {}): string {
  return active[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A message for a server error code, falling back to the server's own sentence. */
export function errorMessage(code: string, serverMessage: string, values: Record<string, string | number> = {}): string {
  const key = `error.${code}` as MessageKey;
  return key in active ? msg(key, values) : serverMessage;
}

import { randomInt } from 'node:crypto';
import { sha256Hex } from './tokens.js';

/** A 6-digit code from the mail, typed by hand where the link cannot be opened. */
export const randomCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** Stored hash of a code: salted with its attempt, so a code can only ever match its own attempt. */
export const codeHash = (attemptId: string, code: string): string => sha256Hex(`${attemptId}:${code}`);

export const CODE_PATTERN = /^\d{6}$/;

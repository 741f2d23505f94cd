import type { Locale } from '../store/types.js';
import { en } from './en.js';
import { ko } from './ko.js';

export type ServerStrings = typeof en;
const packs: Record<Locale, ServerStrings> = { en, ko };
export const LOCALES: readonly Locale[] = ['en', 'ko'];

/** The strings of mails and server pages in one language. */
export const strings = (locale: Locale): ServerStrings => packs[locale];

const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value);

/**
 * The language for a mail or page: the one the element asked for, else the best of
 * `Accept-Language` (by q-value, primary subtag), else English.
 */
export function pickLocale(requested: string | undefined, acceptLanguage: string | undefined): Locale {
  if (requested && isLocale(requested)) return requested;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { language: tag.trim().toLowerCase().split('-')[0]!, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.find((entry) => isLocale(entry.language))?.language as Locale | undefined ?? 'en';
}

/** `{name}` placeholders filled from `values`. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

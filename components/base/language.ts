import type { MailLocale } from '../client/types.js';

/**
 * The language that applies to `element` (API.md §7): its own `lang`, else the nearest
 * ancestor's, else `<html lang>`. Ancestors are looked up across shadow roots, so an element
 * inside another component's shadow root follows that component's host.
 */
export function languageOf(element: Element): string {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang')!;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return document.documentElement.lang || 'en';
}

/** The mail language the server knows (`en`, `ko`) closest to a BCP 47 tag. */
export function mailLocale(lang: string): MailLocale {
  return lang.toLowerCase().split('-')[0] === 'ko' ? 'ko' : 'en';
}

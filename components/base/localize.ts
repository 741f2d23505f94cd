import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { languageOf } from './language.js';
import { en, type MessageKey } from './translations/en.js';

export type Messages = Record<MessageKey, string>;
type Values = Record<string, string | number>;

/**
 * Translations by primary language tag (`en`, `ko`), kept once per page on `globalThis` so
 * every bundle of the kit (the all-in-one file and per-element files) sees what a host
 * registered. English is complete and is the fallback for every key.
 */
interface Registry {
  packs: Map<string, Partial<Messages>>;
  /** The fallback of every key: the core strings, and those each lazily loaded screen adds. */
  english: Partial<Messages>;
  /** Packs that ship with the kit but load only when a page first needs them. */
  loaders: Map<string, () => Promise<Partial<Messages>>>;
  loading: Set<string>;
  listeners: Set<() => void>;
}
const registry: Registry = ((globalThis as Record<symbol, unknown>)[Symbol.for('perso.translations')] ??= {
  packs: new Map([['en', en]]),
  english: { ...en },
  loaders: new Map(),
  loading: new Set(),
  listeners: new Set(),
}) as Registry;

registry.loaders.set('ko', () => import('./translations/ko.js').then((module) => module.ko));

const primary = (lang: string) => lang.toLowerCase().split('-')[0] || 'en';

/**
 * Adds strings for a language, or overrides single strings of one the kit ships
 * (`registerTranslation('en', {'signup.submit': 'Join'})`). Later calls add to earlier ones.
 * Every element re-renders.
 */
export function registerTranslation(lang: string, messages: Partial<Messages>): void {
  const key = primary(lang);
  registry.packs.set(key, { ...registry.packs.get(key), ...messages });
  for (const listener of registry.listeners) listener();
}

/**
 * The English strings of a screen that loads in a chunk of its own (the keys table, the passkey
 * list), added when the chunk runs: before that screen first renders.
 */
export function addEnglish(messages: Partial<Messages>): void {
  Object.assign(registry.english, messages);
}

let errorMessages: Promise<void> | undefined;

/**
 * Loads the English sentences of the server's error codes (a chunk, en-errors.ts) once;
 * every path that shows or reports a failure awaits it first, so the sentence is the kit's
 * own in every language. A failed load is tried again at the next failure; meanwhile the
 * server's own sentence is shown.
 */
export function loadErrorMessages(): Promise<void> {
  errorMessages ??= import('./translations/en-errors.js').then(
    ({ errorsEn }) => addEnglish(errorsEn),
    () => {
      errorMessages = undefined;
    },
  );
  return errorMessages;
}

/** A pack that loads on first use; the kit registers its own (Korean) this way. */
export function registerTranslationLoader(lang: string, load: () => Promise<Partial<Messages>>): void {
  registry.loaders.set(primary(lang), load);
}

function ensureLoaded(lang: string): void {
  const key = primary(lang);
  const load = registry.loaders.get(key);
  if (!load || registry.loading.has(key)) return;
  registry.loading.add(key);
  void load().then(
    // Strings a host registered before the pack arrived win over the pack's.
    (messages) => registerTranslation(key, { ...messages, ...registry.packs.get(key) }),
    () => registry.loading.delete(key),
  );
}

/** Rounds a wait up to a unit a person reads at a glance: seconds under 90 s, else minutes. */
function waitParts(seconds: number): [number, 'second' | 'minute'] {
  return seconds < 90 ? [Math.max(1, Math.ceil(seconds)), 'second'] : [Math.ceil(seconds / 60), 'minute'];
}

/** Strings, dates and numbers in one language. */
export class Localizer {
  readonly lang: string;
  readonly #pack: Partial<Messages>;

  constructor(lang: string) {
    this.lang = lang;
    this.#pack = registry.packs.get(primary(lang)) ?? {};
  }

  /**
   * The string for `key`, with `{name}` placeholders filled from `values`. The English of a
   * lazily loaded screen's keys arrives with that screen (`addEnglish`); until then, in a
   * language without its own string, the key itself is returned.
   */
  term(key: MessageKey, values: Values = {}): string {
    const template = this.#pack[key] ?? registry.english[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
  }

  /** `base.one` / `base.other` (or any plural category of the language) for `count`. */
  plural(base: string, count: number, values: Values = {}): string {
    const category = new Intl.PluralRules(this.lang).select(count);
    const key = (`${base}.${category}` in registry.english ? `${base}.${category}` : `${base}.other`) as MessageKey;
    return this.term(key, { count: this.number(count), ...values });
  }

  /**
   * A message for a server error code; the server's own sentence only for a code the kit does
   * not know, or before `loadErrorMessages()` has brought the kit's.
   */
  error(code: string, serverMessage: string, values: Values = {}): string {
    const key = `error.${code}` as MessageKey;
    return key in registry.english ? this.term(key, values) : serverMessage;
  }

  /**
   * A 422's message for one field. The server writes English; other languages get the kit's
   * own sentence for that field when it has one.
   */
  field(name: string, serverMessage: string): string {
    const key = `validation.server.${name}` as MessageKey;
    return primary(this.lang) === 'en' || !(key in registry.english) ? serverMessage : this.term(key);
  }

  /** "42 seconds", "15분": how long to wait, in this language. */
  wait(seconds: number): string {
    const [value, unit] = waitParts(seconds);
    return new Intl.NumberFormat(this.lang, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
  }

  number(value: number): string {
    return new Intl.NumberFormat(this.lang).format(value);
  }

  date(iso: string): string {
    return new Intl.DateTimeFormat(this.lang, { dateStyle: 'medium' }).format(new Date(iso));
  }

  dateTime(iso: string): string {
    return new Intl.DateTimeFormat(this.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }

  relativeTime(value: number, unit: Intl.RelativeTimeFormatUnit): string {
    return new Intl.RelativeTimeFormat(this.lang, { numeric: 'auto' }).format(value, unit);
  }
}

/** Elements and controllers that render text reach the host's language through this. */
export interface Localized {
  readonly localize: LocalizeController;
}

// One observer for the whole document: a `lang` change on any ancestor re-renders the
// elements below it. Elements inside other shadow roots also observe their own host chain.
const controllers = new Set<LocalizeController>();
let documentObserver: MutationObserver | undefined;
const refreshAll = () => {
  for (const controller of controllers) controller.refresh();
};
registry.listeners.add(refreshAll);

/**
 * The language of one element (API.md §7: its `lang`, else the nearest ancestor's, else
 * `<html lang>`), kept current: re-resolved when any `lang` attribute changes or a
 * translation is registered, and the host re-renders when the result changes.
 */
export class LocalizeController implements ReactiveController {
  #t: Localizer;
  #pack?: Partial<Messages>;
  #hostObserver?: MutationObserver;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
    this.#t = new Localizer('en');
  }

  /** The localizer for the element's current language. */
  get t(): Localizer {
    return this.#t;
  }

  hostConnected(): void {
    controllers.add(this);
    documentObserver ??= new MutationObserver(refreshAll);
    documentObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    this.#observeShadowAncestors();
    this.refresh();
  }

  hostDisconnected(): void {
    controllers.delete(this);
    this.#hostObserver?.disconnect();
    if (controllers.size === 0) {
      documentObserver?.disconnect();
      documentObserver = undefined;
    }
  }

  /** Re-reads the language; re-renders the host when it, or its strings, changed. */
  refresh(): void {
    const lang = languageOf(this.host);
    ensureLoaded(lang);
    const pack = registry.packs.get(primary(lang));
    if (lang === this.#t.lang && pack === this.#pack) return;
    this.#t = new Localizer(lang);
    this.#pack = pack;
    this.host.requestUpdate();
  }

  /** The document observer does not see into shadow roots: watch the hosts between us and the document. */
  #observeShadowAncestors(): void {
    this.#hostObserver?.disconnect();
    this.#hostObserver = new MutationObserver(refreshAll);
    let root = this.host.getRootNode();
    while (root instanceof ShadowRoot) {
      this.#hostObserver.observe(root, { attributes: true, attributeFilter: ['lang'], subtree: true });
      this.#hostObserver.observe(root.host, { attributes: true, attributeFilter: ['lang'] });
      root = root.host.getRootNode();
    }
  }
}

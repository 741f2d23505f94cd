import { supportsAdoptingStyleSheets, type CSSResult } from 'lit';
import type { PersoClient } from '../client/api-client.js';
import type { PersoEventDetail, PersoEventName } from './events.js';
import type { Localizer } from './localize.js';

/** What a screen in a chunk of its own reaches of its element (whose client and `emit` stay protected). */
export interface ScreenHost {
  root(): HTMLElement | DocumentFragment;
  client(): PersoClient;
  t(): Localizer;
  requestUpdate(): void;
  /** The element's `updateComplete`. */
  updated(): Promise<boolean>;
  emit<K extends PersoEventName>(type: K, detail: PersoEventDetail<K>): boolean;
  /** Emits `perso-error` (unless the session ended) and returns the sentence to show. */
  reportError(error: unknown): Promise<string>;
}

/**
 * Adds a lazily loaded part's styles to an element's shadow root, after what it has (its own
 * sheets, another chunk's), so they cascade as if they were one sheet.
 */
export function addStyles(root: ShadowRoot, styles: CSSResult[]): void {
  if (supportsAdoptingStyleSheets) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...styles.map((sheet) => sheet.styleSheet!)];
    return;
  }
  // Where sheets cannot be adopted, Lit puts <style> elements in the root: so do we.
  for (const sheet of styles) root.append(Object.assign(document.createElement('style'), { textContent: sheet.cssText }));
}

/**
 * Base of a screen that an element loads with `import()` only when it first shows it, so the
 * kit's first download leaves it out. It adds its styles to the element's shadow root and
 * re-renders the element whenever its state changes.
 */
export abstract class Screen<Host extends ScreenHost = ScreenHost> {
  constructor(
    protected readonly host: Host,
    styles: CSSResult[],
  ) {
    addStyles(host.root() as ShadowRoot, styles);
  }

  /** Applies a state change and re-renders the element. */
  protected set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }
}

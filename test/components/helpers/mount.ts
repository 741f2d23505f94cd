import { provide } from '@lit/context';
import { fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { PersoClient } from '../../../components/client/api-client.js';
import { clientContext } from '../../../components/client/context.js';
import './safe-errors.js';

/** Provides one `PersoClient` (through @lit/context) to every Perso element inside it. */
export class PersoTestProvider extends LitElement {
  @provide({ context: clientContext })
  @property({ attribute: false })
  client!: PersoClient;

  override render() {
    return html`<slot></slot>`;
  }
}
customElements.get('perso-test-provider') || customElements.define('perso-test-provider', PersoTestProvider);

declare global {
  interface HTMLElementTagNameMap {
    'perso-test-provider': PersoTestProvider;
  }
}

/**
 * Renders `template` inside a provider of `client` and returns the template's first element
 * once it has rendered.
 */
export async function mount<T extends HTMLElement>(template: TemplateResult, client: PersoClient): Promise<T> {
  const provider = await fixture<PersoTestProvider>(html`<perso-test-provider .client=${client}>${template}</perso-test-provider>`);
  const element = provider.firstElementChild as T;
  await (element as unknown as LitElement).updateComplete;
  return element;
}

function normalized(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** The accessible-ish name of a control: aria-label, else its text. */
function nameOf(element: Element): string {
  return normalized(element.getAttribute('aria-label') ?? element.textContent);
}

function rootOf(host: Element): ParentNode {
  return host.shadowRoot ?? host;
}

/** The input labelled `label` (by `<label for>`) in `host`'s shadow root. Throws when absent. */
export function input(host: Element, label: string): HTMLInputElement {
  const root = rootOf(host);
  const labels = [...root.querySelectorAll('label')].filter((l) => normalized(l.textContent) === label);
  const control = labels[0]?.control;
  if (!(control instanceof HTMLInputElement)) throw new Error(`No input labelled "${label}"`);
  return control;
}

/** Buttons (and links) in `host`'s shadow root whose name starts with `name`. */
export function buttons(host: Element, name: string): HTMLElement[] {
  return [...rootOf(host).querySelectorAll<HTMLElement>('button, a[href]')].filter((b) => nameOf(b).startsWith(name));
}

/** The button whose name starts with `name`. Throws when absent. */
export function button(host: Element, name: string): HTMLButtonElement {
  const found = buttons(host, name)[0];
  if (!found) throw new Error(`No button named "${name}"`);
  return found as HTMLButtonElement;
}

/** Text of the shadow root, whitespace collapsed — for "is this sentence shown" checks. */
export function text(host: Element): string {
  return normalized((rootOf(host) as Element | ShadowRoot).textContent);
}

/** Types `value` into `field` the way a user does (input + change events). */
export function type(field: HTMLInputElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  field.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

/** Waits until `host`'s shadow root shows `sentence` (whitespace collapsed). */
export async function shown(host: Element, sentence: string): Promise<void> {
  await waitUntil(() => text(host).includes(sentence), `"${sentence}" never appeared; shown: "${text(host)}"`, { timeout: 2000 });
}

/** The focused element, followed through every shadow root (`document.activeElement` stops at the first host). */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

import { expect, userEvent, waitFor, within } from 'storybook/test';

/**
 * Helpers for `play` functions: the elements render into shadow roots, which Testing Library
 * queries only when given the root itself.
 */

/** The story's element, rendered, and queries scoped to its shadow root. */
export async function mount<K extends keyof HTMLElementTagNameMap>(canvasElement: HTMLElement, tag: K) {
  const element = await waitFor(() => {
    const found = canvasElement.querySelector(tag);
    if (!found?.shadowRoot) throw new Error(`<${tag}> has not rendered yet`);
    return found;
  });
  await (element as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
  const screen = within(element.shadowRoot as unknown as HTMLElement);
  return { element, screen };
}

export type ShadowScreen = Awaited<ReturnType<typeof mount>>['screen'];

/** Types into the fields labelled so, then presses the button. */
export async function submit(screen: ShadowScreen, fields: Record<string, string>, button: string): Promise<void> {
  for (const [label, value] of Object.entries(fields)) {
    fill((await screen.findByLabelText(label)) as HTMLInputElement, value);
  }
  await userEvent.click(await screen.findByRole('button', { name: button }));
}

/**
 * Sets a field the way typing does (value, then `input` and `change`). Not `userEvent.type`:
 * user-event follows `document.activeElement`, which is the host, not the input in its shadow root.
 */
export function fill(input: HTMLInputElement, value: string): void {
  input.focus();
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: value }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Waits until `text` shows in the element. */
export async function shows(screen: ShadowScreen, text: string | RegExp): Promise<void> {
  await expect(await screen.findByText(text, {}, { timeout: 3000 })).toBeVisible();
}

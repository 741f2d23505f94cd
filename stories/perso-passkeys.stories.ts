import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent, within } from 'storybook/test';
import '../components/passkeys/perso-passkeys.js';
import type { PersoPasskeys } from '../components/passkeys/perso-passkeys.js';
import '../components/signin/perso-signin.js';
import { demoPasskeys, demoUser, reply, withMockApi, type MockApiOptions } from './mock-api.js';
import { mount, shows } from './play.js';

type Args = Pick<PersoPasskeys, 'organization' | 'theme'>;

const meta = {
  title: 'Elements/perso-passkeys',
  component: 'perso-passkeys',
  decorators: [withMockApi],
  args: { organization: 'default' },
  parameters: { perso: { user: demoUser, passkeys: demoPasskeys() } satisfies MockApiOptions },
  render: (args) => html`<perso-passkeys organization=${args.organization} theme=${ifDefined(args.theme)}></perso-passkeys>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

const fake = (perso: MockApiOptions) => ({ perso });

export const SignedOut: Story = {
  name: 'Signed out',
  parameters: fake({ user: null, methods: { passkey: true } }),
  render: (args) => html`<perso-passkeys organization=${args.organization} theme=${ifDefined(args.theme)}>
    <perso-signin slot="signed-out" organization=${args.organization} theme=${ifDefined(args.theme)}></perso-signin>
  </perso-passkeys>`,
};

export const Loading: Story = {
  parameters: fake({ user: demoUser, routes: { 'GET /api/passkeys': reply.pending() } }),
};

export const Empty: Story = {
  parameters: fake({ user: demoUser, passkeys: [] }),
};

export const List: Story = {
  name: 'List: a synced and an unused passkey',
};

export const Dark: Story = {
  args: { theme: 'dark' },
};

export const RemoveConfirmation: Story = {
  name: 'Remove asks first',
  play: async ({ canvasElement }) => {
    const { element, screen } = await mount(canvasElement, 'perso-passkeys');
    await userEvent.click(await screen.findByRole('button', { name: 'Remove Safari on iOS' }));
    const dialog = within(element.shadowRoot!.querySelector('dialog') as HTMLElement);
    await expect(await dialog.findByText('Remove “Safari on iOS”?')).toBeVisible();
    await userEvent.click(dialog.getByRole('button', { name: 'Remove' }));
    await shows(screen, 'Passkey “Safari on iOS” removed.');
  },
};

export const LastPasskeyKept: Story = {
  name: 'The last way to sign in is kept',
  parameters: fake({ user: demoUser, passkeys: demoPasskeys().slice(0, 1) }),
  play: async ({ canvasElement }) => {
    const { element, screen } = await mount(canvasElement, 'perso-passkeys');
    await userEvent.click(await screen.findByRole('button', { name: 'Remove Chrome on macOS' }));
    const dialog = within(element.shadowRoot!.querySelector('dialog') as HTMLElement);
    await userEvent.click(await dialog.findByRole('button', { name: 'Remove' }));
    await expect(await dialog.findByText('This is your only way to sign in. Add another passkey before removing this one.')).toBeVisible();
  },
};

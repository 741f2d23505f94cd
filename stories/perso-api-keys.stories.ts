import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent } from 'storybook/test';
import '../components/api-keys/perso-api-keys.js';
import type { PersoApiKeys } from '../components/api-keys/perso-api-keys.js';
import '../components/signin/perso-signin.js';
import { demoKeys, demoUser, reply, withMockApi, type MockApiOptions } from './mock-api.js';
import { mount, shows, submit } from './play.js';

type Args = Pick<PersoApiKeys, 'organization' | 'theme'>;

const meta = {
  title: 'Elements/perso-api-keys',
  component: 'perso-api-keys',
  decorators: [withMockApi],
  args: { organization: 'default' },
  parameters: { perso: { user: demoUser, keys: demoKeys() } satisfies MockApiOptions },
  render: (args) => html`<perso-api-keys organization=${args.organization} theme=${ifDefined(args.theme)}></perso-api-keys>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

const fake = (perso: MockApiOptions) => ({ perso });

export const SignedOut: Story = {
  name: 'Signed out',
  parameters: fake({ user: null, keys: demoKeys() }),
  // The `signed-out` slot holds a sign-in that shares the client: signing in there shows the keys.
  render: (args) => html`<perso-api-keys organization=${args.organization} theme=${ifDefined(args.theme)}>
    <perso-signin slot="signed-out" organization=${args.organization} theme=${ifDefined(args.theme)}></perso-signin>
  </perso-api-keys>`,
};

export const Loading: Story = {
  parameters: fake({ user: demoUser, routes: { 'GET /api/keys': reply.pending() } }),
};

export const Empty: Story = {
  parameters: fake({ user: demoUser, keys: [] }),
};

export const LoadError: Story = {
  name: 'Error',
  parameters: fake({
    user: demoUser,
    routes: { 'GET /api/keys': reply.error(500, 'internal_error', 'Something went wrong on our side. Try again in a moment.') },
  }),
};

export const List: Story = {
  name: 'List with expired and unused keys',
};

export const NewKeyShownOnce: Story = {
  name: 'New key shown once',
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-api-keys');
    await submit(screen, { 'API Key Name': 'Mobile app' }, 'Create');
    await shows(screen, 'pak-9c4e1f0a7b3d52e8a6c1f4b09d7e3a21');
    await shows(screen, "Copy this key now. You won't be able to see it again.");
    await expect(await screen.findByRole('button', { name: 'Copy' })).toBeVisible();
  },
};

export const ConfirmDelete: Story = {
  name: 'Confirm dialog open',
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-api-keys');
    await userEvent.click(await screen.findByRole('button', { name: 'Delete Old staging key' }));
    const dialog = await screen.findByRole('dialog');
    await expect(dialog).toHaveAttribute('open');
    await expect(await screen.findByRole('button', { name: 'Cancel' })).toBeVisible();
  },
};

export const Dark: Story = {
  name: 'Dark theme',
  args: { theme: 'dark' },
};

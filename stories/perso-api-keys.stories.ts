import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent, within } from 'storybook/test';
import '../components/api-keys/perso-api-keys.js';
import type { PersoApiKeys } from '../components/api-keys/perso-api-keys.js';
import '../components/signin/perso-signin.js';
import { demoKeys, demoUser, reply, withMockApi, type MockApiOptions } from './mock-api.js';
import { mount, shows, submit } from './play.js';

type Args = Pick<PersoApiKeys, 'organization' | 'theme' | 'lang'>;

const meta = {
  title: 'Elements/perso-api-keys',
  component: 'perso-api-keys',
  decorators: [withMockApi],
  args: { organization: 'default' },
  parameters: { perso: { user: demoUser, keys: demoKeys() } satisfies MockApiOptions },
  render: (args) => html`<perso-api-keys organization=${args.organization} theme=${ifDefined(args.theme)} lang=${ifDefined(args.lang || undefined)}></perso-api-keys>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

const fake = (perso: MockApiOptions) => ({ perso });

export const SignedOut: Story = {
  name: 'Signed out',
  parameters: fake({ user: null, keys: demoKeys() }),
  // The `signed-out` slot holds a sign-in that shares the client: signing in there shows the keys.
  render: (args) => html`<perso-api-keys organization=${args.organization} theme=${ifDefined(args.theme)} lang=${ifDefined(args.lang || undefined)}>
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

export const Korean: Story = {
  name: 'Korean',
  args: { lang: 'ko' },
};

export const KoreanDark: Story = {
  name: 'Korean, dark',
  args: { lang: 'ko', theme: 'dark' },
};

/** A 320 px container: the rows stack so every column, and a new key's full value, stays readable. */
export const NarrowContainer: Story = {
  name: 'Narrow container (320 px)',
  render: (args) => html`<div style="max-width: 320px"><perso-api-keys organization=${args.organization} theme=${ifDefined(args.theme)} lang=${ifDefined(args.lang || undefined)}></perso-api-keys></div>`,
  play: NewKeyShownOnce.play,
};

const manyKeys = () =>
  Array.from({ length: 14 }, (_, i) => demoKeys()[i % 4]!).map((key, i) => ({ ...key, id: `key_many_${i}`, name: `${key.name} ${i + 1}` }));

export const ManyKeys: Story = {
  name: 'Many keys (filter and sort)',
  parameters: fake({ user: demoUser, keys: manyKeys() }),
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-api-keys');
    await userEvent.click(await screen.findByLabelText('Hide expired keys'));
    await shows(screen, /expired keys hidden/);
  },
};

export const CreateRateLimited: Story = {
  name: 'Create: rate limited',
  parameters: fake({
    user: demoUser,
    keys: demoKeys(),
    routes: { 'POST /api/keys': reply.error(429, 'rate_limited', 'Too many requests.', { headers: { 'retry-after': '30' } }) },
  }),
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-api-keys');
    await submit(screen, { 'API Key Name': 'Mobile app' }, 'Create');
    await shows(screen, 'Too many attempts. Try again in 30 seconds.');
  },
};

export const CreateNameTaken: Story = {
  name: 'Create: invalid name',
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-api-keys');
    await userEvent.click(await screen.findByRole('button', { name: 'Create' }));
    await shows(screen, 'Enter a name for the key.');
  },
};

export const DeleteFailed: Story = {
  name: 'Delete: failed',
  parameters: fake({
    user: demoUser,
    keys: demoKeys(),
    routes: { 'DELETE /api/keys/:id': reply.networkError() },
  }),
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-api-keys');
    await userEvent.click(await screen.findByRole('button', { name: 'Delete Old staging key' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await shows(screen, 'Could not reach the server. Check your connection and try again.');
  },
};

export const SessionEnded: Story = {
  name: 'Session ended during create',
  parameters: fake({ user: demoUser, keys: demoKeys(), routes: { 'POST /api/keys': reply.error(401, 'unauthenticated', 'Sign in to continue.') } }),
  render: SignedOut.render,
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-api-keys');
    await submit(screen, { 'API Key Name': 'Mobile app' }, 'Create');
    await shows(screen, 'Your session ended — sign in again. Your key name is kept.');
  },
};

export const ManyKeysDark: Story = {
  name: 'Many keys, dark',
  args: { theme: 'dark' },
  parameters: ManyKeys.parameters,
  play: ManyKeys.play,
};

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent } from 'storybook/test';
import '../components/signup/perso-signup.js';
import type { PersoSignup } from '../components/signup/perso-signup.js';
import { DEMO_CODE, reply, withMockApi, type MockApiOptions } from './mock-api.js';
import { mount, shows, submit } from './play.js';

type Args = Pick<PersoSignup, 'organization' | 'theme' | 'redirect' | 'lang'>;

const meta = {
  title: 'Elements/perso-signup',
  component: 'perso-signup',
  decorators: [withMockApi],
  args: { organization: 'default' },
  render: (args) => html`<perso-signup
    organization=${args.organization}
    theme=${ifDefined(args.theme)}
    lang=${ifDefined(args.lang || undefined)}
    redirect=${ifDefined(args.redirect)}
  ></perso-signup>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

const fake = (perso: MockApiOptions) => ({ perso });
const signUp = { Email: 'ada@example.com', Password: 'correct horse battery' };

export const Default: Story = {};

export const Loading: Story = {
  parameters: fake({ routes: { 'GET /api/config': reply.pending() } }),
};

export const ConfigError: Story = {
  name: 'Config error',
  args: { organization: 'acme-typo' },
  parameters: fake({ routes: { 'GET /api/config': reply.error(404, 'unknown_organization', 'There is no organization with this id.') } }),
};

export const FieldErrors: Story = {
  name: 'Field errors',
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signup');
    await submit(screen, { Email: 'ada@example', Password: 'short' }, 'Create account');
    await shows(screen, 'Enter a valid email address, like name@example.com.');
    await shows(screen, 'Use at least 8 characters.');
  },
};

export const VerificationSent: Story = {
  name: 'Verification sent',
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signup');
    await submit(screen, signUp, 'Create account');
    await shows(screen, 'Check your email inbox for a verification message');
  },
};

export const VerifiedByCode: Story = {
  name: 'Verified by code',
  play: async (context) => {
    await VerificationSent.play!(context);
    const { screen } = await mount(context.canvasElement, 'perso-signup');
    await submit(screen, { 'Verification code': '000000' }, 'Verify');
    await shows(screen, /That code is not right/);
    await submit(screen, { 'Verification code': DEMO_CODE }, 'Verify');
    await shows(screen, 'Signed in as ada@example.com');
  },
};

export const ResendCooldown: Story = {
  name: 'Resend cooldown',
  play: async (context) => {
    await VerificationSent.play!(context);
    const { screen } = await mount(context.canvasElement, 'perso-signup');
    await userEvent.click(await screen.findByRole('button', { name: 'Resend email' }));
    await shows(screen, 'We sent a new verification email to ada@example.com.');
    await expect(await screen.findByRole('button', { name: /Resend email \(\d+ s\)/ })).toBeDisabled();
  },
};

export const RateLimited: Story = {
  name: 'Rate limited',
  parameters: fake({
    routes: {
      'POST /api/signup': reply.error(429, 'rate_limited', 'Too many attempts. Wait a moment and try again.', { headers: { 'retry-after': '42' } }),
    },
  }),
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signup');
    await submit(screen, signUp, 'Create account');
    await shows(screen, 'Too many attempts. Try again in 42 seconds.');
  },
};

export const NetworkError: Story = {
  name: 'Network error',
  parameters: fake({ routes: { 'POST /api/signup': reply.networkError() } }),
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signup');
    await submit(screen, signUp, 'Create account');
    await shows(screen, 'Could not reach the server. Check your connection and try again.');
  },
};

/** Preview: the buttons only. Passkeys and social sign-in are being built; these do nothing yet. */
export const PasskeyAndSocial: Story = {
  name: 'Preview: passkey and social buttons',
  parameters: fake({
    methods: {
      passkey: true,
      social: [
        { id: 'github', name: 'GitHub' },
        { id: 'google', name: 'Google' },
      ],
    },
  }),
};

export const Dark: Story = {
  name: 'Dark theme',
  args: { theme: 'dark' },
};

export const Korean: Story = {
  name: 'Korean',
  args: { lang: 'ko' },
};

export const KoreanVerificationSent: Story = {
  name: 'Korean, verification sent, dark',
  args: { lang: 'ko', theme: 'dark' },
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signup');
    await submit(screen, { 이메일: 'ada@example.com', 비밀번호: 'correct horse battery' }, '계정 만들기');
    await shows(screen, /받은편지함/);
  },
};

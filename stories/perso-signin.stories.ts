import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/signin/perso-signin.js';
import type { PersoSignin } from '../components/signin/perso-signin.js';
import { userEvent } from 'storybook/test';
import { DEMO_CODE, demoUser, reply, withMockApi, type MockApiOptions } from './mock-api.js';
import { mount, shows, submit } from './play.js';

type Args = Pick<PersoSignin, 'organization' | 'theme' | 'lang'>;

const meta = {
  title: 'Elements/perso-signin',
  component: 'perso-signin',
  decorators: [withMockApi],
  args: { organization: 'default' },
  render: (args) => html`<perso-signin organization=${args.organization} theme=${ifDefined(args.theme)} lang=${ifDefined(args.lang || undefined)}></perso-signin>`,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

const fake = (perso: MockApiOptions) => ({ perso });
const credentials = { Email: 'ada@example.com', Password: 'correct horse battery' };

export const Default: Story = {};

export const InvalidCredentials: Story = {
  name: 'Invalid credentials',
  parameters: fake({ routes: { 'POST /api/signin': reply.error(401, 'invalid_credentials', 'The email or password is incorrect.') } }),
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signin');
    await submit(screen, credentials, 'Sign in');
    await shows(screen, 'The email or password is incorrect.');
  },
};

export const EmailNotVerified: Story = {
  name: 'Email not verified',
  parameters: fake({
    routes: {
      'POST /api/signin': reply.error(403, 'email_not_verified', 'Verify your email address before signing in.', { properties: { attempt: 'att_demo' } }),
    },
  }),
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signin');
    await submit(screen, credentials, 'Sign in');
    await shows(screen, 'Verify your email address');
    await screen.findByRole('button', { name: 'Resend email' });
    await submit(screen, { 'Verification code': DEMO_CODE }, 'Verify');
    await shows(screen, 'Signed in as ada@example.com');
  },
};

export const ForgotPassword: Story = {
  name: 'Forgot password',
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signin');
    await userEvent.click(await screen.findByRole('button', { name: 'Forgot password?' }));
    await submit(screen, { Email: 'ada@example.com' }, 'Send reset link');
    await shows(screen, 'Check your email inbox');
  },
};

export const SignedIn: Story = {
  name: 'Signed in',
  parameters: fake({ user: demoUser }),
};

export const Dark: Story = {
  name: 'Dark theme',
  args: { theme: 'dark' },
};

/** Preview: the buttons only. Passkeys and social sign-in are being built; these do nothing yet. */
export const PasskeyAndSocialDark: Story = {
  name: 'Preview: passkey and social buttons, dark',
  args: { theme: 'dark' },
  parameters: fake({ methods: { passkey: true, social: [{ id: 'github', name: 'GitHub' }] } }),
};

export const RateLimited: Story = {
  name: 'Rate limited',
  parameters: fake({ routes: { 'POST /api/signin': reply.error(429, 'rate_limited', 'Too many attempts.', { headers: { 'retry-after': '900' } }) } }),
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signin');
    await submit(screen, credentials, 'Sign in');
    await shows(screen, 'Too many attempts. Try again in 15 minutes.');
  },
};

export const NetworkError: Story = {
  name: 'Network error',
  parameters: fake({ routes: { 'POST /api/signin': reply.networkError() } }),
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signin');
    await submit(screen, credentials, 'Sign in');
    await shows(screen, 'Could not reach the server. Check your connection and try again.');
  },
};

export const Korean: Story = {
  name: 'Korean, invalid credentials',
  args: { lang: 'ko' },
  parameters: InvalidCredentials.parameters,
  play: async ({ canvasElement }) => {
    const { screen } = await mount(canvasElement, 'perso-signin');
    await submit(screen, { 이메일: 'ada@example.com', 비밀번호: 'wrong password' }, '로그인');
    await shows(screen, /이메일 또는 비밀번호/);
  },
};

import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { strings } from '../i18n/index.js';
import type { Locale } from '../store/types.js';

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The kit's palette, light and dark, for the pages the server itself shows. */
const STYLE = raw(`
  :root { --bg: #f3f4f6; --card: #fff; --fg: #111827; --muted: #4b5563; --border: #d1d5db; --primary: #4f46e5; --on-primary: #fff; --danger: #b91c1c; --success: #047857; --focus: #6366f1; color-scheme: light dark; }
  @media (prefers-color-scheme: dark) { :root { --bg: #030712; --card: #111827; --fg: #f9fafb; --muted: #9ca3af; --border: #374151; --primary: #818cf8; --on-primary: #111827; --danger: #fca5a5; --success: #34d399; } }
  *, *::before, *::after { box-sizing: border-box; }
  body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Apple SD Gothic Neo', 'Noto Sans KR', sans-serif; display: grid; place-items: center; min-height: 100vh; margin: 0; padding: 1rem; background: var(--bg); color: var(--fg); line-height: 1.5; }
  main { background: var(--card); padding: 2rem; border: 1px solid var(--border); border-radius: 0.75rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.1); width: 100%; max-width: 26rem; overflow-wrap: anywhere; }
  h1 { font-size: 1.5rem; margin: 0 0 0.75rem; }
  p { margin: 0 0 1rem; }
  form { display: grid; gap: 0.75rem; margin: 0 0 1rem; }
  label { font-weight: 600; font-size: 0.875rem; }
  .field { display: grid; gap: 0.25rem; }
  .hint { color: var(--muted); font-size: 0.875rem; margin: 0; }
  .error { color: var(--danger); font-size: 0.875rem; margin: 0; }
  .status { color: var(--success); }
  input { font: inherit; color: inherit; background: var(--card); border: 1px solid var(--border); border-radius: 0.5rem; padding: 0.5rem 0.75rem; min-height: 2.5rem; width: 100%; }
  input[aria-invalid='true'] { border-color: var(--danger); }
  button, .button { font: inherit; font-weight: 600; cursor: pointer; border-radius: 0.5rem; padding: 0.5rem 1rem; min-height: 2.5rem; border: 1px solid var(--primary); background: var(--primary); color: var(--on-primary); text-decoration: none; display: inline-flex; align-items: center; justify-content: center; }
  button[disabled] { opacity: 0.6; cursor: progress; }
  :focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
  a { color: var(--primary); font-weight: 600; }
`);

export interface PageContent {
  locale: Locale;
  title: string;
  body: Markup;
  /** Where "Continue" leads; omitted on pages whose form is the way on. */
  continueTo?: string;
  /** Tell this browser's other tabs (same origin) that a session now exists. */
  broadcastSignedIn?: boolean;
}

/** A small page in the kit's look: one card, a heading, its content and "Continue". */
export const page = ({ locale, title, body, continueTo, broadcastSignedIn }: PageContent) => html`<!doctype html>
  <html lang="${locale}">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <!-- The token must not leak to other sites, but a form post needs its Origin: no-referrer would send "null". -->
      <meta name="referrer" content="same-origin" />
      <title>${title}</title>
      <style>${STYLE}</style>
      <script type="module" src="/pages/perso-pages.js"></script>
    </head>
    <body${broadcastSignedIn ? raw(' data-signed-in') : raw('')}>
      <main>
        <h1>${title}</h1>
        ${body}
        ${continueTo ? html`<p><a class="button" href="${continueTo}">${strings(locale)['page.continue']}</a></p>` : raw('')}
      </main>
    </body>
  </html>`;

/**
 * The pages' one script: sends a confirming form at once (a mail scanner's GET changes nothing;
 * a person's browser confirms without a click), and tells other tabs of a new session.
 */
export const PAGE_SCRIPT = `
const form = document.querySelector('form[data-autosubmit]');
if (form) {
  const button = form.querySelector('button');
  if (button) { button.disabled = true; button.textContent = form.dataset.working || button.textContent; }
  form.submit();
}
if (document.body.hasAttribute('data-signed-in') && 'BroadcastChannel' in window) {
  const channel = new BroadcastChannel('perso-session');
  channel.postMessage({ type: 'signed-in' });
  channel.close();
}
`;

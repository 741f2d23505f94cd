import { html } from 'hono/html';

type Outcome = { ok: true; email: string; home: string } | { ok: false; message: string; home: string };

/** The small page a verification link lands on when the sign-up gave no redirect. */
export const verificationPage = (outcome: Outcome) => html`<!doctype html>
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${outcome.ok ? 'Email verified' : 'Verification failed'}</title>
      <style>
        body { font-family: system-ui, sans-serif; display: grid; place-items: center; min-height: 100vh; margin: 0; background: #f3f4f6; color: #111827; }
        main { background: #fff; padding: 2rem 2.5rem; border-radius: 0.75rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.1); max-width: 28rem; }
        h1 { font-size: 1.5rem; margin-top: 0; }
        a { color: #4f46e5; font-weight: 600; }
      </style>
    </head>
    <body>
      <main>
        ${outcome.ok
          ? html`<h1>Email verified</h1>
              <p>${outcome.email} is verified and your account is active. You are signed in.</p>`
          : html`<h1>Verification failed</h1>
              <p>${outcome.message}</p>`}
        <p><a href="${outcome.home}">Continue</a></p>
      </main>
    </body>
  </html>`;

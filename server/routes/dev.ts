import { Hono } from 'hono';
import { html } from 'hono/html';
import type { DevOutbox } from '../mail/dev-outbox.js';

/** The dev outbox as JSON and as a readable mailbox page. Never mounted in production. */
export function devRoutes(outbox: DevOutbox) {
  return new Hono()
    .get('/api/dev/outbox', (c) => c.json({ messages: outbox.messages }))
    .get('/dev/mailbox', (c) =>
      c.html(html`<!doctype html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>Dev mailbox</title>
            <style>
              body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #111827; }
              article { border: 1px solid #d1d5db; border-radius: 0.5rem; padding: 1rem 1.25rem; margin-block: 1rem; }
              h2 { font-size: 1.1rem; margin: 0 0 0.25rem; }
              .meta { color: #4b5563; font-size: 0.875rem; }
              pre { white-space: pre-wrap; font: inherit; }
              a { color: #4f46e5; font-weight: 600; overflow-wrap: anywhere; }
            </style>
          </head>
          <body>
            <h1>Dev mailbox</h1>
            <p>Mail the server would have sent, newest first. Kept in memory until the server stops. <a href="/">Back to the demo</a></p>
            ${outbox.messages.length === 0 ? html`<p>No mail yet.</p>` : ''}
            ${outbox.messages.map(
              (m) => html`<article>
                <h2>${m.subject}</h2>
                <p class="meta">To ${m.to} · <time datetime="${m.sentAt}">${m.sentAt}</time></p>
                <pre>${m.text}</pre>
                ${m.links.map((l) => html`<p><a href="${l}">${l}</a></p>`)}
              </article>`,
            )}
          </body>
        </html>`),
    );
}

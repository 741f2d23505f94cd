#!/usr/bin/env node
// `npm run test:stories`: opens every story of the built Storybook (storybook-static/) in
// Chromium and fails when a story or its play function throws, when a Perso element on it is
// not defined or rendered nothing, or when the a11y addon (axe) reports a violation.
// Run `npm run build-storybook` first. Browser: CHROME_PATH, else /usr/bin/chromium.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.mjs';

const root = fileURLToPath(new URL('../storybook-static/', import.meta.url));
const executablePath = chromiumPath();
if (!existsSync(join(root, 'index.json'))) fail('storybook-static/ is missing: run `npm run build-storybook` first.');
if (!existsSync(executablePath)) fail(`Chromium not found at ${executablePath}: run \`npm run browser\` or set CHROME_PATH.`);

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };
const server = createServer(async (request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname));
  try {
    const body = await readFile(join(root, path === '/' ? 'index.html' : path));
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const index = JSON.parse(await readFile(join(root, 'index.json'), 'utf8'));
const stories = Object.values(index.entries).filter((entry) => entry.type === 'story');
const browser = await chromium.launch({
  executablePath,
  args: CHROMIUM_ARGS,
});
const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
// Storybook reports on its channel: errors, then `storyFinished` (after the play function and
// the a11y addon's axe run) with every report.
await page.addInitScript(() => {
  window.__storyEvents = [];
  const timer = setInterval(() => {
    const channel = window.__STORYBOOK_ADDONS_CHANNEL__;
    if (!channel) return;
    clearInterval(timer);
    for (const name of ['storyErrored', 'storyThrewException', 'playFunctionThrewException', 'storyMissing']) {
      channel.on(name, (detail) => window.__storyEvents.push({ name, message: String(detail?.message ?? detail?.description ?? '') }));
    }
    channel.on('storyFinished', ({ status, reporters }) => {
      const violations = reporters
        .filter((report) => report.type === 'a11y')
        .flatMap((report) => report.result?.violations ?? (report.result?.error ? [{ id: 'axe-error', impact: String(report.result.error), nodes: [] }] : []));
      for (const v of violations) {
        window.__storyEvents.push({ name: 'a11y', message: `${v.id} (${v.impact}): ${v.nodes.map((node) => node.target.join(' ')).join(', ')}` });
      }
      window.__storyEvents.push({ name: 'storyFinished', message: status });
    });
  }, 5);
});

const failures = [];
for (const story of stories) {
  await page.goto(`${base}/iframe.html?id=${story.id}&viewMode=story`);
  const events = await page
    .waitForFunction(() => window.__storyEvents.some((event) => event.name === 'storyFinished') && window.__storyEvents, null, { timeout: 20_000 })
    .then((handle) => handle.jsonValue())
    .catch(() => [{ name: 'timeout', message: 'the story did not finish within 20 s' }]);
  const problems = events
    .filter((event) => !(event.name === 'storyFinished' && event.message === 'success'))
    .map((event) => `${event.name}: ${event.message.split('\n')[0]}`);
  problems.push(
    ...(await page.evaluate(() =>
      [...document.querySelectorAll('#storybook-root *')]
        .filter((element) => element.localName.startsWith('perso-'))
        .filter((element) => !customElements.get(element.localName) || !element.shadowRoot?.childElementCount)
        .map((element) => `<${element.localName}> is not defined or rendered nothing`),
    )),
  );
  if (problems.length) failures.push(`${story.title} › ${story.name}\n    ${problems.join('\n    ')}`);
}

await browser.close();
server.close();
if (failures.length) fail(`${failures.length} of ${stories.length} stories failed:\n  ${failures.join('\n  ')}`);
console.log(`${stories.length} stories rendered, play functions passed, no a11y violations.`);

function fail(message) {
  console.error(message);
  process.exit(1);
}

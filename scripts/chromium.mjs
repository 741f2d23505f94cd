// The one place that knows how the browser suites launch Chromium.

/** $CHROME_PATH, else Debian's Chromium (scripts/ensure-chromium.sh installs it when missing). */
export const chromiumPath = () => process.env.CHROME_PATH || '/usr/bin/chromium';

/** Headless flags that work as root on a closed network (no background connections to refuse). */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

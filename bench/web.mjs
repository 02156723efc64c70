// bench/web.mjs BASE EMAIL PASSWORD [RUNS] — the web app's speed in Debian's chromium, against a server
// already running (bench/run.sh starts it on the seeded database). Prints markdown:
//  - JS and CSS transferred (compressed, as the server sends them) for the first load of each route;
//    the target is at most 100 KB per route;
//  - the clients list's first rows painted, against a static HTML page holding the same rows served
//    over loopback HTTP to the same Chromium, the median of RUNS loads each; the target is at most 2x.
// "Painted" is the first animation frame after the first row is in the document, timed from the
// navigation's start, for both pages alike.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(root + '/web/node_modules/');
const { chromium } = require('playwright-core');
const [BASE, EMAIL, PASSWORD, RUNS = '5'] = process.argv.slice(2);
const runs = Math.max(1, Number(RUNS));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

async function signedInContext() {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const r = await ctx.request.post(BASE + '/api/v1/login', { data: { email: EMAIL, password: PASSWORD } });
  if (!r.ok()) throw new Error(`sign-in failed: ${r.status()}`);
  return ctx;
}

// ---- bytes per route, each on a fresh context (nothing cached)
const firstClient = await (async () => {
  const ctx = await signedInContext();
  const r = await ctx.request.get(BASE + '/api/v1/clients?limit=1');
  const id = (await r.json()).data[0]?.id;
  await ctx.close();
  return id;
})();
const routes = [['sign-in', '/', false], ['Today', '/today', true], ['Clients', '/clients', true]];
if (firstClient) routes.push(['a client', `/clients/${firstClient}`, true]);
const sizes = [];
for (const [name, path, signed] of routes) {
  const ctx = signed ? await signedInContext() : await browser.newContext();
  const page = await ctx.newPage();
  const seen = [];
  page.on('requestfinished', (req) => seen.push(req));
  await page.goto(BASE + path, { waitUntil: 'networkidle' });
  let js = 0, css = 0;
  for (const req of seen) {
    const type = req.resourceType();
    if (type !== 'script' && type !== 'stylesheet') continue;
    const s = await req.sizes();
    if (type === 'script') js += s.responseBodySize;
    else css += s.responseBodySize;
  }
  sizes.push([name, js, css]);
  await ctx.close();
}

// ---- first rows painted: the app's clients list against the same rows as static HTML
const ctx = await signedInContext();
const rowsJson = await (await ctx.request.get(BASE + '/api/v1/clients?limit=100')).json();
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const staticHtml = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Clients</title><body><h1>Clients</h1><table><thead><tr><th>Name</th><th>Stage</th><th>Kind</th><th>Tags</th><th>Email</th></tr></thead><tbody>${rowsJson.data
  .map((c) => `<tr><td><a href="/clients/${esc(c.id)}">${esc(c.name)}</a></td><td>${esc(c.stage)}</td><td>${esc(c.kind)}</td><td>${esc((c.tags || []).join(', '))}</td><td>${esc(c.email)}</td></tr>`)
  .join('')}</tbody></table></body></html>`;
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(staticHtml);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const staticUrl = `http://127.0.0.1:${server.address().port}/clients.html`;

async function paintTime(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  return page.evaluate(() => new Promise((done) => {
    const check = () => {
      if (document.querySelector('tbody tr td a')) requestAnimationFrame(() => done(performance.now()));
      else requestAnimationFrame(check);
    };
    check();
  }));
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const appTimes = [], staticTimes = [];
const page = await ctx.newPage();
await page.goto(BASE + '/clients'); // warm: the server's caches, not the browser's (each load below is cold: no-cache index)
for (let i = 0; i < runs; i++) {
  await ctx.clearCookies().catch(() => {});
  await ctx.request.post(BASE + '/api/v1/login', { data: { email: EMAIL, password: PASSWORD } });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  appTimes.push(await paintTime(page, BASE + '/clients'));
  staticTimes.push(await paintTime(page, staticUrl));
}
server.close();
await browser.close();

const kb = (n) => (n / 1024).toFixed(1);
console.log('| route | JS KB (compressed) | CSS KB (compressed) | total KB | target |');
console.log('|---|---|---|---|---|');
for (const [name, js, css] of sizes) console.log(`| ${name} | ${kb(js)} | ${kb(css)} | ${kb(js + css)} | ≤ 100 KB |`);
console.log('');
const a = median(appTimes), s = median(staticTimes);
console.log('| clients list, first rows painted | ms (median of ' + runs + ') | ratio | target |');
console.log('|---|---|---|---|');
console.log(`| static HTML, the same 100 rows | ${s.toFixed(0)} | baseline | |`);
console.log(`| the app's clients list (cold cache) | ${a.toFixed(0)} | ${(a / s).toFixed(2)}× | ≤ 2× |`);

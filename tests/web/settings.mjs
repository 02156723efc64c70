// settings.mjs — the browser tests of settings, the clients list for power users and duplicates (web2c):
// add a custom field in settings and see it in the client form; save a view and reload it; bulk-tag three
// clients, and every client matching a view (more than the loaded page) on the server; edit a cell in place (and meet a change made meanwhile); export the view as CSV (its columns); create and
// revoke an API token (its secret shown once); change a user's role and deactivate them; the workspace's
// locale and default country; merge duplicates and undo. axe and screenshots at 1280 and 375 px on every page added.
import {
  ok, check, apiCall, browser, newContext, cspViolations, axe, shot, signIn, shotsOnly, finish, BASE,
} from './lib.mjs';

const t0 = Date.now();
const clients = (await apiCall('GET', '/api/v1/clients?limit=100')).body.data;
const byName = (n) => clients.find((c) => c.name === n);
// two clients with one email: a pair for the duplicates page (merged and unmerged below)
await apiCall('POST', '/api/v1/clients', { name: 'Twin Peaks Ltd', email: 'hi@twinpeaks.example' });
await apiCall('POST', '/api/v1/clients', { name: 'Twin Peaks Limited', email: 'hi@twinpeaks.example' });
try {
  // ---- screenshots and axe on every page added, at 1280 and 375 px
  for (const width of [1280, 375]) {
    const ctx = await newContext(width);
    const page = await ctx.newPage();
    await signIn(page);
    for (const [section, heading] of [['workspace', 'Workspace'], ['users', 'Users and roles'], ['tokens', 'API tokens'],
      ['fields', 'Custom fields'], ['stages', 'Pipeline stages'], ['health', 'Health score']]) {
      await page.goto(`${BASE}/settings?section=${section}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      if (section === 'workspace') await page.getByLabel('Name', { exact: true }).and(page.locator(':enabled')).waitFor();
      if (section === 'health') await page.getByLabel('Satisfaction').waitFor();
      else await page.waitForLoadState('networkidle');
      if (width === 1280 || section === 'workspace' || section === 'users') await shot(page, `settings-${section}-${width}`);
      if (width === 1280) await axe(page, `settings: ${heading}`);
    }
    await page.goto(`${BASE}/duplicates`);
    await page.getByText('Same email: hi@twinpeaks.example').waitFor();
    await shot(page, `duplicates-${width}`);
    if (width === 1280) await axe(page, 'Duplicates');
    await page.goto(`${BASE}/clients`);
    await page.getByRole('link', { name: 'Bluebell Bakery' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select Bluebell Bakery' }).check();
    await page.getByRole('region', { name: 'Bulk actions' }).waitFor();
    await shot(page, `clients-bulk-${width}`);
    if (width === 1280) await axe(page, 'the clients list with a selection');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('dialog', { name: 'Save view' }).getByLabel('View name').waitFor();
    await shot(page, `save-view-${width}`);
    if (width === 1280) await axe(page, 'the Save view dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('dialog', { name: 'Columns' }).waitFor();
    if (width === 1280) { await shot(page, 'columns-1280'); await axe(page, 'the Columns dialog'); }
    await page.keyboard.press('Escape');
    ok((await cspViolations(page)).length === 0, `no CSP violation on the pages added at ${width} px`, (await cspViolations(page)).join('\n'));
    await ctx.close();
  }
  if (shotsOnly) throw 'done';

  const ctx = await newContext(1280);
  const page = await ctx.newPage();
  await signIn(page);

  await check('add a custom field in settings and see it in the client form', async () => {
    await page.goto(`${BASE}/settings?section=fields`);
    await page.getByRole('button', { name: 'Add custom field' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add custom field' });
    await dlg.getByLabel('Entity').selectOption('clients');
    await dlg.getByLabel('Key').fill('industry_code');
    await dlg.getByLabel('Label').fill('Industry code');
    await dlg.getByLabel('Type').selectOption('text');
    await dlg.getByRole('button', { name: 'Add custom field' }).click();
    await page.getByRole('cell', { name: 'industry_code', exact: true }).waitFor();
    await page.goto(`${BASE}/clients`);
    await page.getByRole('button', { name: 'New client' }).click();
    await page.getByRole('dialog', { name: 'New client' }).getByLabel('Industry code').waitFor();
    await page.keyboard.press('Escape');
  });

  await check('a custom field\'s error is answered next to the field (a key taken), its draft kept across a reload', async () => {
    await page.goto(`${BASE}/settings?section=fields`);
    await page.getByRole('button', { name: 'Add custom field' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add custom field' });
    await dlg.getByLabel('Entity').selectOption('clients');
    await dlg.getByLabel('Key').fill('industry_code');
    await dlg.getByLabel('Type').selectOption('text');
    await dlg.getByRole('button', { name: 'Add custom field' }).click();
    await dlg.locator('#custom_fields-form-key-error').waitFor();
    // nothing typed is lost: the refused field's draft comes back after a reload
    await page.reload();
    await page.getByRole('button', { name: 'Add custom field' }).click();
    if ((await dlg.getByLabel('Key').inputValue()) !== 'industry_code') throw new Error('the draft was lost');
    await page.keyboard.press('Escape');
  });

  await check('save a view (filter, sort, columns) and reload it', async () => {
    await page.goto(`${BASE}/clients`);
    await page.getByRole('link', { name: 'Bluebell Bakery' }).waitFor();
    await page.getByLabel('Stage', { exact: true }).selectOption('active');
    await page.getByLabel('Sort').selectOption('-name');
    await page.getByRole('button', { name: 'Columns' }).click();
    const cols = page.getByRole('dialog', { name: 'Columns' });
    await cols.getByLabel('Website').check();
    await cols.getByRole('button', { name: 'Show these columns' }).click();
    await page.getByRole('columnheader', { name: 'Website' }).waitFor();
    await page.getByRole('button', { name: 'Save view' }).click();
    const dlg = page.getByRole('dialog', { name: 'Save view' });
    await dlg.getByLabel('View name').fill('Active, Z to A');
    await dlg.getByLabel('Share with the workspace').check();
    await dlg.getByRole('button', { name: 'Save view' }).click();
    await page.getByText('Saved the view Active, Z to A.').waitFor();
    // back to all clients, then a fresh load: the view comes back from the server
    await page.getByLabel('View', { exact: true }).selectOption({ label: 'All clients' });
    await page.getByRole('link', { name: 'Quarry Labs' }).waitFor();
    await page.reload();
    await page.getByLabel('View', { exact: true }).selectOption({ label: 'Active, Z to A (shared)' });
    await page.getByRole('columnheader', { name: 'Website' }).waitFor();
    const url = new URL(page.url());
    if (url.searchParams.get('stage') !== 'active' || url.searchParams.get('sort') !== '-name') throw new Error(`url ${url}`);
    if ((await page.getByLabel('Stage', { exact: true }).inputValue()) !== 'active') throw new Error('the stage filter is not shown');
    await page.getByRole('link', { name: 'Northwind Studio' }).waitFor();
    // the view's page replaces the one before it (Northwind is on both): wait for it rather than race it
    await page.getByRole('link', { name: 'Quarry Labs' }).waitFor({ state: 'detached', timeout: 5000 })
      .catch(() => { throw new Error('a prospect in the active view'); });
    const names = await page.locator('tbody td.c-name a').allTextContents();
    const sorted = [...names].sort().reverse();
    if (names.join('|') !== sorted.join('|')) throw new Error(`not Z to A: ${names}`);
    await page.reload();
    await page.getByRole('link', { name: 'Northwind Studio' }).waitFor();
    if ((await page.getByLabel('View', { exact: true }).locator('option:checked').textContent()) !== 'Active, Z to A (shared)')
      throw new Error('the view is not selected after a reload');
  });

  await check('export the view as CSV: its columns in their order, its filters and sort', async () => {
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    if (!/format=csv/.test(href) || !/stage=active/.test(href) || !/columns=/.test(href)) throw new Error(`href ${href}`);
    const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href);
    const lines = csv.trim().split('\r\n');
    const shown = (await page.getByRole('columnheader').allTextContents()).map((t) => t.trim()).filter(Boolean);
    const header = lines[0].split(',');
    // the header names the fields of the columns shown, in their order (the selection box's header is empty)
    const NAMES = { Name: 'name', Stage: 'stage', Owner: 'owner_id', Email: 'email', Website: 'website', Tags: 'tags', Health: 'health_band', Updated: 'updated_at' };
    if (!shown.includes('Website') || header.join(',') !== shown.map((l) => NAMES[l] ?? l).join(','))
      throw new Error(`header ${lines[0]} against the columns shown ${shown}`);
    if (!csv.includes('Northwind Studio') || csv.includes('Quarry Labs')) throw new Error(csv.slice(0, 300));
    const names = lines.slice(1).map((l) => l.split(',')[0].replace(/"/g, ''));
    if (names.join('|') !== [...names].sort().reverse().join('|')) throw new Error(`not Z to A: ${names}`);
  });

  await check('bulk-tag three clients', async () => {
    await page.goto(`${BASE}/clients`);
    await page.getByRole('link', { name: 'Bluebell Bakery' }).waitFor();
    for (const n of ['Bluebell Bakery', 'Quarry Labs', 'Northwind Studio'])
      await page.getByRole('checkbox', { name: `Select ${n}` }).check();
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await bar.getByText('3 selected').waitFor();
    await bar.getByLabel('Tag to add').fill('web-vip');
    await bar.getByRole('button', { name: 'Add tag' }).click();
    await page.getByText('Tag “web-vip” added on 3 clients.').waitFor();
    const tagged = (await apiCall('GET', '/api/v1/clients?tags=web-vip&limit=10')).body.data.map((c) => c.name).sort();
    if (tagged.join('|') !== 'Bluebell Bakery|Northwind Studio|Quarry Labs') throw new Error(`tagged: ${tagged}`);
    const kept = (await apiCall('GET', `/api/v1/clients/${byName('Bluebell Bakery').id}`)).body.tags;
    if (!kept.includes('retail')) throw new Error(`the old tags were lost: ${kept}`);
  });

  await check('bulk: set the stage of a selection', async () => {
    await page.goto(`${BASE}/clients?tags=web-vip`);
    await page.getByRole('link', { name: 'Quarry Labs' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select Quarry Labs' }).check();
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await bar.getByLabel('New stage').selectOption('active');
    await bar.getByRole('button', { name: 'Set stage' }).click();
    await page.getByText('Stage set to Active on 1 client.').waitFor();
    const q = (await apiCall('GET', `/api/v1/clients/${byName('Quarry Labs').id}`)).body;
    if (q.stage !== 'active') throw new Error(`stage ${q.stage}`);
  });

  await check('edit a cell in place, sending the version', async () => {
    await page.goto(`${BASE}/clients`);
    await page.getByRole('button', { name: /^Edit Email of Elm Street Dental/ }).click();
    const input = page.getByRole('textbox', { name: 'Email of Elm Street Dental' });
    await input.fill('front@elmdental.example');
    await input.press('Enter');
    await page.getByRole('button', { name: 'Edit Email of Elm Street Dental: front@elmdental.example' }).waitFor();
    const c = (await apiCall('GET', `/api/v1/clients/${byName('Elm Street Dental').id}`)).body;
    if (c.email !== 'front@elmdental.example' || c.version !== byName('Elm Street Dental').version + 1) throw new Error(JSON.stringify(c));
  });

  await check('a cell changed meanwhile: theirs shown, mine kept and saved again', async () => {
    await page.getByRole('button', { name: /^Edit Email of Elm Street Dental/ }).click();
    const input = page.getByRole('textbox', { name: 'Email of Elm Street Dental' });
    await input.fill('mine@elmdental.example');
    const cur = (await apiCall('GET', `/api/v1/clients/${byName('Elm Street Dental').id}`)).body;
    await apiCall('PATCH', `/api/v1/clients/${cur.id}`, { email: 'theirs@elmdental.example', version: cur.version });
    await input.press('Enter');
    await page.getByText(/Changed meanwhile: now “theirs@elmdental.example”/).waitFor();
    if ((await input.inputValue()) !== 'mine@elmdental.example') throw new Error('my value was lost');
    await input.press('Enter');
    await page.getByRole('button', { name: 'Edit Email of Elm Street Dental: mine@elmdental.example' }).waitFor();
  });

  await check('create an API token: its secret shown once; then revoke it', async () => {
    await page.goto(`${BASE}/settings?section=tokens`);
    await page.getByRole('button', { name: 'Add token' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add token' });
    await dlg.getByLabel('Name').fill('web-script');
    await dlg.getByRole('button', { name: 'Add token' }).click();
    const secret = await page.getByRole('dialog', { name: 'Your new token' }).getByLabel('Token').inputValue();
    if (!secret.startsWith('rpt_')) throw new Error(`secret ${secret}`);
    const me = await fetch(BASE + '/api/v1/me', { headers: { Authorization: `Bearer ${secret}` } });
    if (me.status !== 200) throw new Error(`the new token: ${me.status}`);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'web-script', exact: true }).waitFor();
    if (await page.getByText(secret).count()) throw new Error('the secret is shown again');
    await page.getByRole('button', { name: 'Revoke web-script' }).click();
    await page.getByRole('dialog', { name: 'Revoke web-script?' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('cell', { name: 'web-script', exact: true }).waitFor({ state: 'detached' });
    const after = await fetch(BASE + '/api/v1/me', { headers: { Authorization: `Bearer ${secret}` } });
    if (after.status !== 401) throw new Error(`a revoked token: ${after.status}`);
  });

  await check('add a user, change their role, deactivate them; the last owner stays', async () => {
    await page.goto(`${BASE}/settings?section=users`);
    await page.getByRole('button', { name: 'Add user' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add user' });
    await dlg.getByLabel('Email').fill('sam@example.com');
    await dlg.getByLabel('Role').selectOption('member');
    await dlg.getByLabel('Password').fill('sam-horse-battery-77');
    await dlg.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('cell', { name: 'sam@example.com', exact: true }).waitFor();
    await page.getByLabel('Role of sam@example.com').selectOption('viewer');
    await page.getByRole('button', { name: 'Deactivate sam@example.com' }).click();
    await page.getByRole('button', { name: 'Reactivate sam@example.com' }).waitFor();
    const users = (await apiCall('GET', '/api/v1/users?email=sam@example.com')).body.data;
    if (users[0].role !== 'viewer' || users[0].active !== false) throw new Error(JSON.stringify(users[0]));
    await page.getByLabel('Role of owner@example.com').selectOption('admin');
    await page.getByRole('alert').filter({ hasText: /owner/ }).waitFor();
    if ((await page.getByLabel('Role of owner@example.com').inputValue()) !== 'owner') throw new Error('shown as demoted');
  });

  await check('the workspace\'s locale formats dates and money', async () => {
    await page.goto(`${BASE}/settings?section=workspace`);
    const locale = page.getByLabel('Locale');
    await locale.and(page.locator(':enabled')).waitFor();
    await locale.fill('en GB');
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await page.locator('#ws-locale-err').waitFor();
    await locale.fill('de-DE');
    await page.getByText(/Written as: 14\. März 2026/).waitFor();
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await page.getByText('Saved.').waitFor();
    await page.goto(`${BASE}/clients/${byName('Bluebell Bakery').id}`);
    await page.getByText(/\d{1,2}\. (Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)/).first().waitFor();
    await page.goto(`${BASE}/settings?section=workspace`);
    await locale.and(page.locator(':enabled')).waitFor();
    await locale.fill('');
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await page.getByText('Saved.').waitFor();
  });

  await check('the workspace\'s default country for phone numbers: a select of countries by name, each one the API takes', async () => {
    await page.goto(`${BASE}/settings?section=workspace`);
    const country = page.getByLabel('Default country (phone numbers)');
    await country.and(page.locator(':enabled')).waitFor();
    const options = await country.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    const label = Object.fromEntries(options);
    if (label.DE !== 'Germany (DE)' || label.GB !== 'United Kingdom (GB)' || label.EU || label.ZZ || options.length < 200)
      throw new Error(`the countries offered: ${options.length}, ${JSON.stringify(options.slice(0, 5))}`);
    // every country offered is one the server's phone library knows (else the save would be a 422)
    let ws0 = (await apiCall('GET', '/api/v1/workspaces')).body.data[0];
    const refused = [];
    for (const [code] of options.filter(([v]) => v)) {
      const r = await apiCall('PATCH', `/api/v1/workspaces/${ws0.id}`, { version: ws0.version, default_country: code });
      if (r.status === 200) ws0 = r.body;
      else refused.push(`${code} ${r.status}`);
    }
    if (refused.length) throw new Error(`offered but refused: ${refused}`);
    const bad = await apiCall('PATCH', `/api/v1/workspaces/${ws0.id}`, { version: ws0.version, default_country: 'EU' });
    if (bad.status !== 422 || bad.body.error.field !== 'default_country') throw new Error(`EU: ${bad.status}`);
    await apiCall('PATCH', `/api/v1/workspaces/${ws0.id}`, { version: ws0.version, default_country: null });
    await page.reload();
    await country.and(page.locator(':enabled')).waitFor();
    await country.selectOption('DE');
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await page.getByText('Saved.').waitFor();
    if ((await apiCall('GET', '/api/v1/workspaces')).body.data[0].default_country !== 'DE') throw new Error('not saved');
    await shot(page, 'settings-workspace-country-1280');
    await page.reload();
    await country.and(page.locator(':enabled')).waitFor();
    if ((await country.inputValue()) !== 'DE') throw new Error(`shown after a reload: ${await country.inputValue()}`);
    await country.selectOption('');
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await page.getByText('Saved.').waitFor();
    if ((await apiCall('GET', '/api/v1/workspaces')).body.data[0].default_country !== null) throw new Error('not cleared');
  });

  await check('add a holiday and change business hours', async () => {
    await page.getByLabel('Holiday date').fill('2026-12-24');
    await page.getByRole('button', { name: 'Add holiday' }).click();
    await page.getByLabel('Saturday').fill('10:00-14:00');
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await page.getByText('Saved.').waitFor();
    const ws = (await apiCall('GET', '/api/v1/workspaces')).body.data[0];
    if (!ws.holidays.includes('2026-12-24') || ws.business_hours.sat?.[0] !== '10:00-14:00') throw new Error(JSON.stringify(ws));
    await page.getByLabel('Saturday').fill('25:00-26:00');
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await page.getByRole('alert').first().waitFor();
    await page.reload();
    await page.getByLabel('Saturday').and(page.locator(':enabled')).waitFor();
    if ((await page.getByLabel('Saturday').inputValue()) !== '25:00-26:00') throw new Error('the draft was lost on reload');
    await page.getByLabel('Saturday').fill('');
    await page.getByRole('button', { name: 'Remove the holiday 2026-12-24' }).click();
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await page.getByText('Saved.').waitFor();
  });

  await check('health score weights are saved and refused when out of range', async () => {
    await page.goto(`${BASE}/settings?section=health`);
    await page.getByLabel('Satisfaction').fill('25');
    await page.getByRole('button', { name: 'Save health settings' }).click();
    await page.getByText(/^Saved\./).waitFor();
    const ws = (await apiCall('GET', '/api/v1/workspaces')).body.data[0];
    if (ws.health_settings.weights?.satisfaction !== 25) throw new Error(JSON.stringify(ws.health_settings));
    await page.getByLabel('Satisfaction').fill('250');
    await page.getByRole('button', { name: 'Save health settings' }).click();
    const alert = page.locator('#health-title ~ form [role="alert"]');
    await alert.waitFor();
    if (!/weight|100/.test(await alert.textContent())) throw new Error(`the refusal: ${await alert.textContent()}`);
    await page.getByRole('button', { name: 'Back to the defaults' }).click();
    await page.getByText(/^Saved\./).waitFor();
  });

  await check('health settings name every factor and red flag from the settings, no client read', async () => {
    const asked = [];
    const onReq = (r) => { if (/\/api\/v1\/clients/.test(r.url())) asked.push(r.url()); };
    page.on('request', onReq);
    await page.goto(`${BASE}/settings?section=health`);
    await page.getByLabel('Satisfaction').waitFor();
    page.off('request', onReq);
    if (asked.length) throw new Error(`a client was read: ${asked}`);
    if ((await page.locator('input[id^="weight-"]').count()) !== 8) throw new Error('not every factor');
    await page.getByText(/^Red flags/).click();
    const nps = page.getByLabel(/^NPS at most/);
    if ((await nps.inputValue()) !== '6') throw new Error(`the NPS flag: ${await nps.inputValue()}`);
    await nps.fill('5');
    await page.getByRole('button', { name: 'Save health settings' }).click();
    await page.getByText(/^Saved\./).waitFor();
    const hs = (await apiCall('GET', '/api/v1/workspaces')).body.data[0].health_settings;
    if (JSON.stringify(hs.thresholds) !== '{"flag_nps_at_most":5}') throw new Error(JSON.stringify(hs));
    await page.getByText('(default 6)').waitFor();
    await shot(page, 'settings-health-flags-1280');
    await page.getByRole('button', { name: 'Back to the defaults' }).click();
    await page.getByText(/^Saved\./).waitFor();
  });

  await check('merge two duplicate clients, then undo the merge', async () => {
    await page.goto(`${BASE}/duplicates`);
    await page.getByText('Same email: hi@twinpeaks.example').waitFor();
    await page.getByRole('button', { name: 'Keep Twin Peaks Ltd, merge the other into it' }).click();
    await page.getByText('Merged Twin Peaks Limited into Twin Peaks Ltd.').waitFor();
    await page.getByRole('cell', { name: 'Twin Peaks Limited', exact: true }).waitFor();
    const left = (await apiCall('GET', '/api/v1/clients?q=Twin&limit=10')).body.data.map((c) => c.name);
    if (left.join('|') !== 'Twin Peaks Ltd') throw new Error(`after the merge: ${left}`);
    await page.getByRole('button', { name: 'Undo the merge of Twin Peaks Limited' }).click();
    await page.getByText('Twin Peaks Limited is back as it was.').waitFor();
    const back = (await apiCall('GET', '/api/v1/clients?q=Twin&limit=10')).body.data.map((c) => c.name).sort();
    if (back.join('|') !== 'Twin Peaks Limited|Twin Peaks Ltd') throw new Error(`after the undo: ${back}`);
  });
  ok((await cspViolations(page)).length === 0, 'no CSP violation through the power-user pages', (await cspViolations(page)).join('\n'));

  // a viewer: no selection, no cell editing, no settings they may not change; the API refuses anyway
  const vctx = await newContext(1280);
  const vpage = await vctx.newPage();
  await apiCall('POST', '/api/v1/users', { email: 'vera@example.com', role: 'viewer', password: 'vera-horse-battery-88' });
  await signIn(vpage, 'vera@example.com', 'vera-horse-battery-88');
  await check('a viewer sees the shared view but no selection, cell edit or workspace save', async () => {
    await vpage.goto(`${BASE}/clients`);
    await vpage.getByRole('link', { name: 'Bluebell Bakery' }).waitFor();
    await vpage.getByLabel('View', { exact: true }).selectOption({ label: 'Active, Z to A' });
    await vpage.getByRole('columnheader', { name: 'Website' }).waitFor();
    if (await vpage.getByRole('checkbox', { name: 'Select Bluebell Bakery' }).count()) throw new Error('a selection box');
    if (await vpage.getByRole('button', { name: /^Edit Stage of/ }).count()) throw new Error('an editable cell');
    if (await vpage.getByRole('button', { name: 'Delete view' }).count()) throw new Error('may delete another\'s view');
    await vpage.goto(`${BASE}/settings?section=workspace`);
    await vpage.getByText('Only an owner changes the workspace.').waitFor();
    if (await vpage.getByRole('button', { name: 'Save workspace' }).isEnabled()) throw new Error('save enabled');
    if (await vpage.getByRole('button', { name: 'Add user' }).count()) throw new Error('"Add user" for a viewer');
  });
  await vctx.close();

  // last, as it adds many clients: more than one page of them, all changed by one server-side request
  await check('bulk on every matching client: select the page, then all N matching, tag them on the server', async () => {
    for (let i = 1; i <= 130; i++) await apiCall('POST', '/api/v1/clients', { name: `Batch client ${String(i).padStart(3, '0')}`, tags: ['batch'] });
    const posts = [];
    const onReq = (r) => { if (r.method() === 'PATCH' || /\/bulk/.test(r.url())) posts.push(`${r.method()} ${r.url()}`); };
    page.on('request', onReq);
    await page.goto(`${BASE}/clients?tags=batch&sort=name`);
    await page.getByRole('link', { name: 'Batch client 001' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select all loaded clients' }).check();
    await page.getByText('The 100 loaded clients are selected.').waitFor();
    await page.getByRole('button', { name: 'Select all 130 matching' }).click();
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await bar.getByText('All 130 clients matching selected').waitFor();
    await shot(page, 'clients-bulk-all-matching-1280');
    await axe(page, 'the clients list with every matching client selected');
    await bar.getByLabel('Tag to add').fill('batch-done');
    await bar.getByRole('button', { name: 'Add tag' }).click();
    await page.getByText('Tag “batch-done” added on 130 clients of 130 matching.').waitFor();
    page.off('request', onReq);
    const tagged = (await apiCall('GET', '/api/v1/clients?tags=batch-done&limit=500')).body.data;
    if (tagged.length !== 130 || !tagged.every((c) => c.tags.includes('batch'))) throw new Error(`tagged ${tagged.length}`);
    if (posts.some((x) => x.startsWith('PATCH')) || posts.filter((x) => !/dry/.test(x) && x.includes('tags=batch')).length < 1)
      throw new Error(`requests: ${posts.join(' ')}`);
  });
  await ctx.close();
} catch (e) {
  if (e !== 'done') ok(false, 'the settings suite ran to its end', e && e.stack);
}
await finish(t0);

// portal.test.mjs: the portal in a real browser (Debian chromium driven by
// playwright-core, never a downloaded browser): publishing by OpenAPI import
// (pasted, and a YAML file uploaded with JavaScript on and off),
// the store's sign-up to first API call, the try-it console, usage charts,
// revoking a token from its list, escaping, CSRF, JavaScript off, the admin's
// custom policy form, axe-core audits and screenshots. Tests run in order,
// one line each, then `N passed, N failed`; exit 1 when any failed.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';

const require = createRequire(import.meta.url);
const env = process.env;
const PORTAL = env.TOLLGATE_PORTAL.replace(/\/$/, '');
const GATEWAY = (env.TOLLGATE_GATEWAYS || '').split(',')[0].trim();
const BACKEND = env.TOLLGATE_BACKEND;
const ART = `${env.TOLLGATE_ARTIFACTS}/browser`;
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ONLY = process.argv[2] || '';
// the hub's portal methods (getUsage, listApiSubscriptions, getSettings, listAudit); off only while developing
const HUBPORTAL = env.TOLLGATE_BROWSER_NO_HUBPORTAL !== '1';
mkdirSync(ART, { recursive: true });

const uniq = () => Math.random().toString(16).slice(2, 10);
const RUN = uniq();
const PASSWORD = `Pw-${RUN}-Tollgate-9`;
const state = {};   // what one test leaves for the next

// ------------------------------------------------------------------ helpers

function assert(cond, msg) { if (!cond) throw new Error(msg); }

async function api(method, path, { token, json, form } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(json); }
  if (form) { headers['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
  const res = await fetch(PORTAL + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, data, text };
}

async function token(user, password) {
  const r = await api('POST', '/api/auth/token', { form: { username: user, password } });
  assert(r.status === 200 && r.data && r.data.access_token, `token for ${user}: ${r.status} ${r.text}`);
  return r.data.access_token;
}

async function addUser(adminToken, name, roles) {
  const r = await api('POST', '/api/admin/v1/users', { token: adminToken, json: { name, password: PASSWORD, roles } });
  assert(r.status === 200, `add user ${name}: ${r.status} ${r.text}`);
}

let browser;
async function newPage(opts = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 860 }, ...opts });
  const page = await context.newPage();
  page.dialogs = [];
  page.on('dialog', async (d) => { page.dialogs.push(d.message()); await d.dismiss(); });
  page.setDefaultTimeout(15000);
  return page;
}

async function login(page, user, password = PASSWORD) {
  await page.goto(`${PORTAL}/login`);
  await page.fill('#f-username', user);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.locator('form[action="/login"] button[type=submit]').click()]);
}

async function submit(page, formSelector) {
  if (env.TOLLGATE_BROWSER_TRACE) console.log(`     submit ${formSelector} at ${page.url()}`);
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.locator(`${formSelector} button[type=submit]`).first().click()]);
}

function pizzaDoc(name, context) {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: name, version: '1.0.0', description: 'Order **pizza** from the browser tests.' },
    'x-tollgate-context': context,
    'x-tollgate-production-endpoint': BACKEND,
    'x-tollgate-sandbox-endpoint': BACKEND,
    tags: [{ name: 'food' }],
    paths: { '/menu': { get: { responses: { 200: { description: 'the menu' } } } },
             '/order/{id}': { get: { responses: { 200: { description: 'an order' } } } } },
  }, null, 2);
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

// -------------------------------------------------------------------- tests

test('setup: admin creates a publisher through /api/admin/v1', async () => {
  state.admin = await token('admin', env.TOLLGATE_ADMIN_PASSWORD);
  state.publisher = `pub${RUN}`;
  await addUser(state.admin, state.publisher, ['publisher', 'subscriber']);
  state.pubToken = await token(state.publisher, PASSWORD);
});

test('publisher imports an OpenAPI document and publishes the API', async () => {
  const page = await newPage();
  await login(page, state.publisher);
  await page.goto(`${PORTAL}/publisher/new`);
  state.apiName = `Pizza ${RUN}`;
  state.context = `/bt${RUN}`;
  await page.fill('#f-document', pizzaDoc(state.apiName, state.context));
  await submit(page, 'form[action="/publisher/import"]');
  assert(page.url().includes(`/publisher/apis/bt${RUN}/1.0.0`), `after import at ${page.url()}`);
  assert((await page.locator('h1').innerText()).includes(state.apiName), 'the API page names the API');
  await page.locator('form[action^="/publisher/lifecycle/"] button', { hasText: 'Publish' }).click();
  await page.waitForLoadState('load');
  await page.locator('h1 .badge', { hasText: 'Published' }).waitFor();
  const r = await api('GET', `/api/publisher/v1/apis/bt${RUN}/1.0.0`, { token: state.pubToken });
  assert(r.status === 200 && r.data.status === 'PUBLISHED', `status via the JSON API: ${r.text}`);
  assert(r.data.resources.length === 2, `2 resources imported: ${r.text}`);
  await page.context().close();
});

test('publisher uploads a YAML file (JavaScript on and off) and the API appears', async () => {
  for (const js of [true, false]) {
    const page = await newPage({ javaScriptEnabled: js });
    await login(page, state.publisher);
    await page.goto(`${PORTAL}/publisher/new`);
    const ctx = `yup${js ? 'js' : 'nojs'}${RUN}`;
    const yaml = `openapi: 3.0.3\ninfo:\n  title: Upload ${RUN}\n  version: 1.0.0\n` +
      `x-tollgate-context: /${ctx}\nx-tollgate-production-endpoint: ${BACKEND}\n` +
      'paths:\n  /menu:\n    get:\n      responses: &ok\n        200: {description: the menu}\n' +
      '  /order/{id}:\n    delete:\n      x-auth-type: Application\n      responses: *ok\n';
    await page.setInputFiles('#f-file', { name: 'pizza.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from(yaml) });
    await submit(page, 'form[action="/publisher/import"]');
    assert(page.url().includes(`/publisher/apis/${ctx}/1.0.0`), `after upload (js ${js}) at ${page.url()}`);
    assert((await page.locator('h1').innerText()).includes(`Upload ${RUN}`), 'the API page names the API');
    const r = await api('GET', `/api/publisher/v1/apis/${ctx}/1.0.0`, { token: state.pubToken });
    assert(r.status === 200 && r.data.resources.length === 2, `2 resources from the YAML file: ${r.text}`);
    await page.context().close();
  }
});

test('a new user signs up, creates an application, subscribes, generates keys and calls the API through a gateway', async () => {
  const page = await newPage();
  state.storeUser = `buyer${RUN}`;
  await page.goto(`${PORTAL}/signup`);
  await page.fill('#f-username', state.storeUser);
  await page.fill('#f-password', PASSWORD);
  await submit(page, 'form[action="/signup"]');
  assert(new URL(page.url()).pathname === '/store/apps', `after sign-up at ${page.url()}`);
  state.app = `app${RUN}`;
  await page.fill('#f-name', state.app);
  await submit(page, 'form[action="/store/apps"]');
  await page.goto(`${PORTAL}/store/apis${state.context}/1.0.0`);
  assert((await page.locator('h1').innerText()).includes(state.apiName), 'the store shows the API');
  await page.selectOption('#f-application', state.app);
  await submit(page, 'form[action="/store/subscribe"]');
  await page.goto(`${PORTAL}/store/apps/${state.app}`);
  await page.locator('summary', { hasText: 'Generate keys' }).click();
  await submit(page, 'form[action="/store/keys"]');
  state.token = (await page.locator('#v-token').innerText()).trim();
  assert(/^[A-Za-z0-9._~+\/-]{16,}$/.test(state.token), `an access token is shown once: ${state.token}`);
  assert((await page.locator('#v-secret').count()) === 1, 'the consumer secret is shown once');
  let last;
  for (let i = 0; i < 30; i++) {   // the gateways pick the subscription up within about a second
    const res = await fetch(`${GATEWAY}${state.context}/1.0.0/menu`, { headers: { authorization: `Bearer ${state.token}` } });
    last = `${res.status} ${await res.text()}`;
    if (res.status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert(last.startsWith('200 '), `through the gateway: ${last}`);
  const answer = JSON.parse(last.slice(4));
  assert(answer.method === 'GET' && answer.path.endsWith('/menu'), `the backend's answer: ${last}`);
  state.gatewayAnswer = answer;
  state.calls = 1;
  state.storePage = page;
});

test('the try-it console gets the same answer', async () => {
  const page = state.storePage;
  await page.goto(`${PORTAL}/store/apis${state.context}/1.0.0`);
  await page.fill('#tryit #f-path', '/menu');
  await page.fill('#tryit #f-token', state.token);
  await page.locator('#tryit button[type=submit]').click();
  const out = page.locator('#tryit-out');
  // a locator waits without evaluating a string in the page: the portal's CSP (no
  // 'unsafe-eval') refuses waitForFunction's polling whenever the answer is not there at once
  await page.locator('#tryit-out', { hasText: '"path"' }).waitFor({ timeout: 15000 });
  const text = await out.innerText();
  assert(text.includes('200'), `the console shows the status: ${text.slice(0, 300)}`);
  const json = JSON.parse(text.slice(text.indexOf('{')));
  assert(json.path === state.gatewayAnswer.path && json.method === 'GET', `same answer as the gateway: ${text.slice(0, 300)}`);
  state.calls++;
  await page.context().close();
});

test('the usage charts of the API and of the application show those calls', async () => {
  for (let i = 0; i < 4; i++) {
    const res = await fetch(`${GATEWAY}${state.context}/1.0.0/menu`, { headers: { authorization: `Bearer ${state.token}` } });
    assert(res.status === 200, `call ${i}: ${res.status}`);
    state.calls++;
  }
  const page = await newPage();
  await login(page, state.publisher);
  let total = 0;
  for (let i = 0; i < 40 && total < state.calls; i++) {   // gateways report usage about once a second
    await page.goto(`${PORTAL}/publisher/apis${state.context}/1.0.0?tab=usage&range=HOUR`);
    total = await page.$$eval('#usage-req tbody tr', (rows) => rows.reduce((n, r) => n + Number(r.lastElementChild.textContent), 0));
    if (total < state.calls) await new Promise((r) => setTimeout(r, 500));
  }
  assert(total >= state.calls, `the chart's table counts ${total} calls, made ${state.calls}`);
  assert((await page.locator('#usage-req svg rect.c-2xx').count()) >= 1, 'a 2xx bar is drawn');
  assert((await page.locator('#usage-lat svg polyline, #usage-lat svg circle').count()) >= 1, 'a latency line or dot is drawn');
  const r = await api('GET', `/api/publisher/v1/usage${state.context}/1.0.0?range=HOUR`, { token: state.pubToken });
  const sum = r.data.buckets.reduce((n, b) => n + b.count2xx, 0);
  assert(r.status === 200 && sum >= state.calls, `the JSON API counts ${sum}`);
  await page.context().close();
  // the subscriber sees the same calls on their application's usage page
  const buyer = await newPage();
  await login(buyer, state.storeUser);
  await buyer.goto(`${PORTAL}/store/usage/${state.app}?range=HOUR`);
  const mine = await buyer.$$eval('#usage-req tbody tr', (rows) => rows.reduce((n, r) => n + Number(r.lastElementChild.textContent), 0));
  assert(mine >= state.calls, `the application's chart counts ${mine}, made ${state.calls}`);
  await buyer.context().close();
});

test('a token is revoked from the list on the application page, without its value', async () => {
  const page = await newPage();
  await login(page, state.storeUser);
  await page.goto(`${PORTAL}/store/apps/${state.app}`);
  await page.locator('summary', { hasText: 'New access token' }).click();
  await submit(page, 'form[action="/store/tokens"]');
  const extra = (await page.locator('#v-token').innerText()).trim();
  const prefix = createHash('sha256').update(extra).digest('hex').slice(0, 12);
  await page.goto(`${PORTAL}/store/apps/${state.app}`);
  const row = page.locator('tbody tr', { hasText: prefix });
  const button = row.getByRole('button', { name: `Revoke token ${prefix}` });
  assert((await button.count()) === 1, `one Revoke button in the row of ${prefix}`);
  assert((await page.locator('form[action="/store/tokens/revoke"] input[name="token"]').count()) <= 1,
    'the by-value form is at most a secondary way');
  await Promise.all([page.waitForNavigation(), button.click()]);
  assert((await page.getByText('Token revoked').count()) >= 1, 'the page says the token was revoked');
  assert((await row.locator('.badge').innerText()).includes('REVOKED'), 'the row shows REVOKED');
  assert((await row.getByRole('button').count()) === 0, 'no Revoke button for a revoked token');
  let status;
  const t0 = Date.now();
  for (let i = 0; i < 40; i++) {   // every gateway refuses it within 2 s
    status = (await fetch(`${GATEWAY}${state.context}/1.0.0/menu`, { headers: { authorization: `Bearer ${extra}` } })).status;
    if (status === 401) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert(status === 401 && Date.now() - t0 < 2500, `the revoked token: ${status} after ${Date.now() - t0} ms`);
  const other = await fetch(`${GATEWAY}${state.context}/1.0.0/menu`, { headers: { authorization: `Bearer ${state.token}` } });
  assert(other.status === 200, `the application's other token still works: ${other.status}`);
  await page.context().close();
});

test('a subscription waiting for approval is approved, then production-blocked, on the publisher page', async () => {
  const tier = `Approve${RUN}`;
  let r = await api('POST', '/api/admin/v1/tiers', { token: state.admin, json: { name: tier, level: 'SUBSCRIPTION',
    requestCount: 100, unitTime: 60, requiresApproval: true, stopOnQuotaReach: true } });
  assert(r.status === 200, `tier: ${r.status} ${r.text}`);
  r = await api('PUT', `/api/publisher/v1/apis${state.context}/1.0.0`, { token: state.pubToken, json: { subscriptionTiers: [tier, 'Unlimited'] } });
  assert(r.status === 200, `offer the tier: ${r.status} ${r.text}`);
  const buyer = await token(state.storeUser, PASSWORD);
  const app2 = `held${RUN}`;
  r = await api('POST', '/api/store/v1/applications', { token: buyer, json: { name: app2 } });
  assert(r.status === 200 || r.status === 201, `app: ${r.status} ${r.text}`);
  r = await api('POST', '/api/store/v1/subscriptions', { token: buyer, json: { application: app2, context: state.context, version: '1.0.0', tier } });
  assert(r.status === 200 || r.status === 201, `subscribe: ${r.status} ${r.text}`);
  const page = await newPage();
  await login(page, state.publisher);
  await page.goto(`${PORTAL}/publisher/apis${state.context}/1.0.0?tab=subscriptions`);
  const row = page.locator('tbody tr', { hasText: app2 });
  assert((await row.innerText()).includes('Waiting for approval'), `ON_HOLD shown: ${await row.innerText()}`);
  await Promise.all([page.waitForNavigation(), row.locator('button', { hasText: 'Approve' }).click()]);
  assert((await page.locator('tbody tr', { hasText: app2 }).innerText()).includes('Active'), 'approved');
  await Promise.all([page.waitForNavigation(), page.locator('tbody tr', { hasText: app2 }).locator('button', { hasText: 'Block production' }).click()]);
  assert((await page.locator('tbody tr', { hasText: app2 }).innerText()).includes('Production blocked'), 'production blocked');
  r = await api('GET', `/api/publisher/v1/subscriptions${state.context}/1.0.0`, { token: state.pubToken });
  const sub = r.data.subscriptions.find((x) => x.applicationName === app2);
  assert(sub && sub.status === 'PROD_ONLY_BLOCKED', `the hub has it: ${r.text}`);
  await page.context().close();
});

test('an API named <script>alert(1)</script> shows as text everywhere', async () => {
  const evil = '<script>alert(1)</script>';
  const ctx = `/xss${RUN}`;
  const r = await api('POST', '/api/publisher/v1/apis', { token: state.pubToken, json: {
    name: evil, context: ctx, version: '1.0.0', description: `<img src=x onerror=alert(2)> ${evil}`,
    productionEndpoint: BACKEND, tags: ['xss-test'], resources: [{ verb: 'GET', uriTemplate: '/*' }] } });
  assert(r.status === 200, `create: ${r.status} ${r.text}`);
  await api('POST', `/api/publisher/v1/lifecycle/xss${RUN}/1.0.0`, { token: state.pubToken, json: { status: 'PUBLISHED' } });
  const page = await newPage();
  await login(page, state.publisher);
  const paths = ['/publisher', `/publisher/apis/xss${RUN}/1.0.0`, `/publisher/apis/xss${RUN}/1.0.0?tab=docs`, '/',
                 ...(HUBPORTAL ? [`/publisher/apis/xss${RUN}/1.0.0?tab=subscriptions`, `/publisher/apis/xss${RUN}/1.0.0?tab=usage`] : [])];
  for (const p of paths) {
    const res = await page.goto(PORTAL + p);
    assert(res.status() < 500, `${p}: ${res.status()}`);
    const html = await page.content();
    assert(!html.includes(evil), `${p}: the raw markup is in the page`);
    assert(!html.includes('<img src=x'), `${p}: raw img in the page`);
    if (p.startsWith('/publisher'))
      assert((await page.locator('main').textContent()).includes(evil), `${p}: the name is not shown as text`);
  }
  const exported = await api('GET', `/api/publisher/v1/openapi/xss${RUN}/1.0.0`, { token: state.pubToken });
  assert(exported.status === 200 && exported.data.info.title === evil, 'export keeps the name as JSON text');
  assert(page.dialogs.length === 0, `a script ran: ${page.dialogs}`);
  await page.context().close();
});

test('a POST without the CSRF token is refused', async () => {
  const page = await newPage();
  await login(page, state.publisher);
  await page.goto(`${PORTAL}/publisher/new`);
  const good = await page.locator('form[action="/publisher/apis"] input[name=csrf]').inputValue();
  const form = { name: `Csrf ${RUN}`, context: `/csrf${RUN}`, version: '1', resources: 'GET /*', productionEndpoint: BACKEND };
  const none = await page.request.post(`${PORTAL}/publisher/apis`, { form, maxRedirects: 0 });
  const wrong = await page.request.post(`${PORTAL}/publisher/apis`, { form: { ...form, csrf: good.slice(0, -2) + 'xx' }, maxRedirects: 0 });
  const cross = await page.request.post(`${PORTAL}/publisher/apis`, { form: { ...form, csrf: good }, maxRedirects: 0,
    headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } });
  for (const [what, res] of [['no token', none], ['a wrong token', wrong], ['cross-site', cross]])
    assert(res.status() === 403, `${what}: ${res.status()}`);
  const check = await api('GET', `/api/publisher/v1/apis/csrf${RUN}/1`, { token: state.pubToken });
  assert(check.status === 404, `the API must not exist: ${check.status}`);
  const ok = await page.request.post(`${PORTAL}/publisher/apis`, { form: { ...form, csrf: good }, maxRedirects: 0 });
  assert(ok.status() === 303, `with the token: ${ok.status()}`);
  await page.context().close();
});

test('publisher pages work with JavaScript disabled', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await login(page, state.publisher);
  await page.goto(`${PORTAL}/publisher/new`);
  await page.fill('#f-name', `NoJS ${RUN}`);
  await page.fill('#f-context', `/nojs${RUN}`);
  await page.fill('#f-version', '2.0.0');
  await page.fill('#f-tags', 'Plain, HTML');
  await page.fill('#f-productionEndpoint', BACKEND);
  await page.fill('#f-resources', 'GET /items/{id}\nPOST /items Application');
  await submit(page, 'form[action="/publisher/apis"]');
  assert(page.url().includes(`/publisher/apis/nojs${RUN}/2.0.0`), `created: ${page.url()}`);
  await page.locator('form[action^="/publisher/lifecycle/"] button', { hasText: 'Publish' }).click();
  await page.locator('h1 .badge', { hasText: 'Published' }).waitFor();
  await page.goto(`${PORTAL}/publisher/apis/nojs${RUN}/2.0.0?tab=docs`);
  await page.fill('#f-name', 'Getting started');
  await page.fill('#f-content', '# Hello\n\nSee [evil](javascript:alert(1)) and [good](https://example.com).\n\n<script>alert(3)</script>');
  await submit(page, 'form[action^="/publisher/docs/"]');
  const doc = page.locator('.doc').first();
  await doc.waitFor();
  assert((await doc.locator('a').count()) === 1, 'only the http(s) link survives');
  assert((await doc.locator('a').getAttribute('href')) === 'https://example.com', 'the good link is kept');
  assert(!(await page.content()).includes('<script>alert(3)'), 'raw HTML is not rendered');
  // retire needs the password again (verifyPassword on the hub)
  if (HUBPORTAL) {
  await api('POST', `/api/publisher/v1/lifecycle/nojs${RUN}/2.0.0`, { token: state.pubToken, json: { status: 'DEPRECATED' } });
  await page.goto(`${PORTAL}/publisher/apis/nojs${RUN}/2.0.0`);
  await page.fill('#f-password', 'not-my-password');
  await page.locator('form[action^="/publisher/lifecycle/"] button', { hasText: 'Retire' }).click();
  await page.waitForLoadState('load');
  let r = await api('GET', `/api/publisher/v1/apis/nojs${RUN}/2.0.0`, { token: state.pubToken });
  assert(r.data.status === 'DEPRECATED', `a wrong password must not retire: ${r.data.status}`);
  await page.goto(`${PORTAL}/publisher/apis/nojs${RUN}/2.0.0`);
  await page.fill('#f-password', PASSWORD);
  await page.locator('form[action^="/publisher/lifecycle/"] button', { hasText: 'Retire' }).click();
  await page.locator('h1 .badge', { hasText: 'Retired' }).waitFor();
  }
  await page.context().close();
});

test('admin pages work with JavaScript disabled (users, tiers, blocking, settings, audit)', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await login(page, 'admin', env.TOLLGATE_ADMIN_PASSWORD);
  await page.goto(`${PORTAL}/admin`);
  await page.fill('#f-name', `user${RUN}`);
  await page.fill('#f-password', PASSWORD);
  await submit(page, 'form[action="/admin/users"]');
  assert((await page.locator('table').innerText()).includes(`user${RUN}`), 'the new user is listed');
  await page.goto(`${PORTAL}/admin/tiers`);
  await page.fill('#f-name', `Tier${RUN}`);
  await page.fill('#f-requestCount', '50');
  await submit(page, 'form[action="/admin/tiers"]');
  assert((await page.locator('table').innerText()).includes(`Tier${RUN}`), 'the tier is listed');
  await page.goto(`${PORTAL}/admin/blocking`);
  await page.selectOption('#f-kind', 'IP');
  await page.fill('#f-value', '203.0.113.7');
  await submit(page, 'form[action="/admin/blocking"]');
  assert((await page.locator('main').innerText()).includes('203.0.113.7'), 'the condition is listed');
  await page.locator('form[action="/admin/blocking/delete"] button').last().click();
  await page.waitForLoadState('load');
  for (const p of HUBPORTAL ? ['/admin/settings', '/admin/audit'] : []) {
    const res = await page.goto(PORTAL + p);
    assert(res.status() === 200, `${p}: ${res.status()}`);
  }
  await page.context().close();
});

test('admin creates a custom policy through the form (JavaScript off): refused field, list, confirmed delete', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await login(page, 'admin', env.TOLLGATE_ADMIN_PASSWORD);
  await page.goto(`${PORTAL}/admin/policies`);
  await page.getByRole('link', { name: 'Policies' }).waitFor();
  const fill = async (name, header) => {
    await page.fill('#f-name', name);
    await page.selectOption('#f-keyBy', 'HEADER');
    await page.fill('#f-headerName', header);
    await page.fill('#f-requestCount', '30');
    await page.selectOption('#f-unit', 'minute');
    await page.fill('#f-apiContext', `/nothing${RUN}`);
    await page.fill('#f-description', '<script>alert(1)</script>');
  };
  // keyed by a header but no header name: the hub's reason next to that field, the values kept
  await fill(`pol${RUN}`, '');
  await submit(page, 'form[action="/admin/policies"]');
  const err = await page.locator('#err-headerName').innerText();
  assert(err.includes('headerName'), `the reason is next to the header field: ${err}`);
  assert(await page.locator('#f-headerName').getAttribute('aria-invalid') === 'true', 'the field is marked invalid');
  assert(await page.inputValue('#f-name') === `pol${RUN}`, 'the name is kept');
  await page.fill('#f-headerName', 'X-Tenant');
  await submit(page, 'form[action="/admin/policies"]');
  const table = await page.locator('table').innerText();
  assert(table.includes(`pol${RUN}`) && table.includes('x-tenant') && table.includes('30 requests per minute'), `listed: ${table}`);
  assert(table.includes('<script>alert(1)</script>'), 'the description is shown as text');
  // a second one, deleted after its confirmation page (Cancel first keeps it)
  await fill(`gone${RUN}`, 'X-Gone');
  await submit(page, 'form[action="/admin/policies"]');
  const row = page.locator('tr', { hasText: `gone${RUN}` });
  await Promise.all([page.waitForNavigation(), row.getByRole('link', { name: /Delete/ }).click()]);
  assert((await page.locator('h2').first().innerText()).includes(`gone${RUN}`), 'the confirmation names the policy');
  state.policyConfirm = new URL(page.url()).pathname + new URL(page.url()).search;
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Cancel' }).click()]);
  assert((await page.locator('table').innerText()).includes(`gone${RUN}`), 'Cancel deletes nothing');
  await page.goto(PORTAL + state.policyConfirm);
  await submit(page, 'form[action="/admin/policies/delete"]');
  const after = await page.locator('main').innerText();
  assert(!after.includes(`gone${RUN}`) && after.includes(`pol${RUN}`), 'only the confirmed policy is gone');
  assert(page.dialogs.length === 0, `no script ran: ${page.dialogs}`);
  const r = await api('GET', '/api/admin/v1/policies', { token: state.admin });
  const mine = r.data.policies.find((x) => x.name === `pol${RUN}`);
  assert(mine && mine.keyBy === 'HEADER' && mine.headerName === 'x-tenant' && mine.unitTime === 60, `the hub has it: ${r.text}`);
  state.policyConfirm = `/admin/policies/delete?id=${mine.id}`;
  await page.context().close();
  // the refused form is accessible too
  const a = await newPage({ bypassCSP: true });
  await login(a, 'admin', env.TOLLGATE_ADMIN_PASSWORD);
  await a.goto(`${PORTAL}/admin/tiers`);
  await a.fill('#f-name', `Neg${RUN}`);
  await a.fill('#f-requestCount', '-5');
  await a.locator('#f-requestCount').evaluate((el) => el.removeAttribute('min'));
  await submit(a, 'form[action="/admin/tiers"]');
  assert((await a.locator('#err-requestCount').innerText()).includes('0 (none) or more'), 'the tier refusal is next to Requests');
  await a.addScriptTag({ content: AXE });
  const result = await a.evaluate(async () => await globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(bad.length === 0, `axe on the refused form: ${bad.map((v) => v.id).join(', ')}`);
  await a.context().close();
});

test('a subscriber is refused the publisher and admin pages', async () => {
  state.subscriber = `sub${RUN}`;
  await addUser(state.admin, state.subscriber, ['subscriber']);
  const t = await token(state.subscriber, PASSWORD);
  for (const p of ['/api/publisher/v1/apis', '/api/admin/v1/users', '/api/admin/v1/tiers'])
    assert((await api('GET', p, { token: t })).status === 403, `${p} must be 403 for a subscriber`);
  const pt = state.pubToken;
  assert((await api('GET', '/api/admin/v1/users', { token: pt })).status === 403, 'a publisher is not an admin');
});

const MAIN_PAGES = () => [
  ['anon', 'login', '/login'], ['anon', 'signup', '/signup'],
  ['admin', 'store', '/'], ['admin', 'publisher', '/publisher'], ['admin', 'publisher-new', '/publisher/new'],
  ['admin', 'publisher-api', `/publisher/apis${state.context}/1.0.0`],
  ['admin', 'publisher-docs', `/publisher/apis/nojs${RUN}/2.0.0?tab=docs`],
  ...(HUBPORTAL ? [['admin', 'publisher-subscriptions', `/publisher/apis${state.context}/1.0.0?tab=subscriptions`],
                   ['admin', 'publisher-usage', `/publisher/apis${state.context}/1.0.0?tab=usage`]] : []),
  ['admin', 'admin-users', '/admin'], ['admin', 'admin-tiers', '/admin/tiers'], ['admin', 'admin-blocking', '/admin/blocking'],
  ['admin', 'admin-tier', '/admin/tiers/SUBSCRIPTION/Gold'], ['admin', 'admin-policies', '/admin/policies'],
  ...(state.policyConfirm ? [['admin', 'admin-policy-delete', state.policyConfirm]] : []),
  ...(HUBPORTAL ? [['admin', 'admin-settings', '/admin/settings'], ['admin', 'admin-audit', '/admin/audit']] : []),
  ...(state.storeUser ? [['buyer', 'store-api', `/store/apis${state.context}/1.0.0`], ['buyer', 'store-apps', '/store/apps'],
                         ['buyer', 'store-app', `/store/apps/${state.app}`], ['buyer', 'store-app-usage', `/store/usage/${state.app}`],
                         ['buyer', 'account-sessions', '/account/sessions']] : []),
];

/* One page per kind of visitor, each signed in once. */
async function visitors(opts) {
  const pages = { anon: await newPage(opts), admin: await newPage(opts) };
  await login(pages.admin, 'admin', env.TOLLGATE_ADMIN_PASSWORD);
  if (state.storeUser) { pages.buyer = await newPage(opts); await login(pages.buyer, state.storeUser); }
  return pages;
}

test('axe-core finds no serious or critical violation on the main pages', async () => {
  const pages = await visitors({ bypassCSP: true });   // to inject axe; the pages' own CSP is tested elsewhere
  const problems = [];
  for (const [who, name, p] of MAIN_PAGES()) {
    const page = pages[who];
    await page.goto(PORTAL + p);
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(async () => await globalThis.axe.run(document, { resultTypes: ['violations'] }));
    for (const v of result.violations)
      if (v.impact === 'serious' || v.impact === 'critical')
        problems.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
  }
  for (const page of Object.values(pages)) await page.context().close();
  assert(problems.length === 0, problems.join('\n  '));
});

test('screenshots of the main pages at 1280 and 360 px', async () => {
  for (const width of [1280, 360]) {
    const pages = await visitors({ viewport: { width, height: width === 360 ? 740 : 860 } });
    for (const [who, name, p] of MAIN_PAGES()) {
      await pages[who].goto(PORTAL + p);
      await pages[who].screenshot({ path: `${ART}/${name}-${width}.png`, fullPage: true });
      if (name.startsWith('admin')) {   // wide tables scroll inside their box, never the page
        const sw = await pages[who].evaluate(() => document.documentElement.scrollWidth);
        assert(sw <= width, `${name} at ${width} px is ${sw} px wide`);
      }
    }
    for (const page of Object.values(pages)) await page.context().close();
  }
  console.log(`     screenshots in ${ART}`);
});

// ------------------------------------------------------------------- runner

browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--no-first-run'],
});
let passed = 0, failed = 0;
for (const t of tests) {
  if (ONLY && !ONLY.split(',').some((o) => t.name.includes(o)) && !t.name.startsWith('setup')) continue;
  const t0 = Date.now();
  try {
    await t.fn();
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name} (${Date.now() - t0} ms)\n  ${String(e && e.message || e).split('\n').join('\n  ')}`);
  }
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

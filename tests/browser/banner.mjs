// Drives docs/examples/consent-banner.html in Debian's headless Chromium against a running API, as a visitor would:
// Continue; come back and save preferences with the optional category ticked; withdraw; come back. After each step it
// waits for the API's answer and prints one JSON line of what the page saw. Any failure exits non-zero with a message.
//
//   DAXDI_PAGE_ORIGIN  the origin serving consent-banner.html at /consent-banner.html (one of the site's CORS origins)
//   DAXDI_URL          the API, e.g. http://127.0.0.1:5000
//   DAXDI_SITE         the site key (default daxdi)
//   DAXDI_CHROMIUM     the browser (default /usr/bin/chromium)
//
// The demo site's policy is assumed: controls preferences (openPreferences), save (savePreferences), continue
// (implied); categories technical (required) and profiling (optional).
import puppeteer from 'puppeteer-core';

const origin = required('DAXDI_PAGE_ORIGIN').replace(/\/$/, '');
const api = required('DAXDI_URL').replace(/\/$/, '');
const site = process.env.DAXDI_SITE || 'daxdi';
const executablePath = process.env.DAXDI_CHROMIUM || '/usr/bin/chromium';
const timeout = 30_000;

const pageUrl = `${origin}/consent-banner.html?api=${encodeURIComponent(api)}&site=${encodeURIComponent(site)}`;
const base = `${api}/api/v1/sites/${encodeURIComponent(site)}`;
const storageKey = `daxdi-consent-subject:${site}`;

function required(name) {
  const value = process.env[name];
  if (!value) {
    fail(`${name} is not set`);
  }
  return value;
}

function fail(message) {
  console.error(`banner check failed: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

// Deep equality; object keys in any order.
function same(actual, expected) {
  const canonical = value => Array.isArray(value) ? value.map(canonical)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).sort().map(key => [key, canonical(value[key])]))
      : value;
  return JSON.stringify(canonical(actual)) === JSON.stringify(canonical(expected));
}

function report(step, fields) {
  console.log(JSON.stringify({ step, ...fields }));
}

let browser;
const problems = [];
let step = 'launching Chromium';
try {
  // headless: true is Chromium's new headless mode (puppeteer passes --headless=new); CI runs as root, hence --no-sandbox.
  browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=en-US'],
    timeout: 60_000,
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  page.on('pageerror', error => problems.push(`page error: ${error.message}`));
  page.on('console', message => {
    // The browser asks for /favicon.ico by itself; the page's own failures count.
    if (message.type() === 'error' && !message.location()?.url?.endsWith('/favicon.ico')) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('requestfailed', request => problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
  const healthy = where => check(problems.length === 0, `${where}: ${problems.join('; ')}`);

  const answer = (method, path) => page.waitForResponse(r => r.request().method() === method && r.url() === `${base}${path}`);
  const consentsPost = () => answer('POST', '/consents');

  // What the page holds: the subject id it keeps, the categories it applied, whether the banner and panel show.
  const state = () => page.evaluate(key => ({
    subjectId: localStorage.getItem(key),
    applied: document.documentElement.dataset.daxdiConsent ? JSON.parse(document.documentElement.dataset.daxdiConsent) : null,
    bannerShown: !document.getElementById('daxdi-banner').hidden,
    preferencesShown: !document.getElementById('daxdi-preferences').hidden,
    controls: [...document.querySelectorAll('#daxdi-controls button')].map(b => b.id),
  }), storageKey);

  async function decide(click, decision) {
    const [response] = await Promise.all([consentsPost(), click()]);
    check(response.status() === 201, `${decision}: POST /consents answered ${response.status()}: ${await response.text()}`);
    const receipt = await response.json();
    check(receipt.decision === decision, `${decision}: the receipt's decision is ${receipt.decision}`);
    // The page stores the subject id once it has read the receipt: then it has applied it too.
    await page.waitForFunction((key, id) => localStorage.getItem(key) === id, {}, storageKey, receipt.subjectId);
    return receipt;
  }

  // 1. A first visit: the banner asks. Continue records an implied decision that grants only what is required.
  step = 'first visit';
  const [policy] = await Promise.all([answer('GET', '/consent-policy'), page.goto(pageUrl)]);
  check(policy.ok(), `GET /consent-policy answered ${policy.status()}`);
  await page.waitForSelector('#daxdi-banner:not([hidden]) #daxdi-control-continue');
  let seen = await state();
  check(seen.subjectId === null, 'a first visit already has a subject id');
  check(same(seen.controls, ['daxdi-control-preferences', 'daxdi-control-continue']), `the banner shows ${seen.controls}`);
  healthy('first visit');
  report('open', { policyVersion: (await policy.json()).number, controls: seen.controls, bannerShown: seen.bannerShown,
    subjectId: seen.subjectId });

  const implied = await decide(() => page.click('#daxdi-control-continue'), 'implied');
  seen = await state();
  check(!seen.bannerShown, 'the banner still shows after Continue');
  check(same(seen.applied, { technical: true, profiling: false }), `after Continue the page applied ${JSON.stringify(seen.applied)}`);
  check(implied.validForProcessing === false, 'an implied decision is valid for processing');
  const subjectId = implied.subjectId;
  check(/^sub_/.test(subjectId ?? ''), `the receipt's subject id is ${subjectId}`);
  healthy('Continue');
  report('continue', { subjectId, decision: implied.decision, validForProcessing: implied.validForProcessing, effective: implied.effective,
    applied: seen.applied, bannerShown: seen.bannerShown, sequence: implied.sequence });

  // 2. Coming back: the page asks the API for the effective consent and, as it need not be renewed, shows no banner.
  step = 'reload after Continue';
  const [subject] = await Promise.all([answer('GET', `/consent-subjects/${subjectId}`), page.reload()]);
  check(subject.ok(), `GET /consent-subjects answered ${subject.status()}`);
  const effective = await subject.json();
  await page.waitForFunction(() => document.documentElement.dataset.daxdiConsent !== undefined);
  seen = await state();
  check(seen.subjectId === subjectId, `after a reload the page keeps ${seen.subjectId}, not ${subjectId}`);
  check(!effective.renewalRequired && !seen.bannerShown, 'the banner asks again after Continue');
  healthy('reload');
  report('reload', { subjectId: seen.subjectId, decision: effective.decision, renewalRequired: effective.renewalRequired,
    effective: effective.effective, applied: seen.applied, bannerShown: seen.bannerShown });

  // 3. The visitor changes their mind: cookie settings, Preferences, tick profiling, Save.
  step = 'Preferences and Save';
  await page.click('#daxdi-settings');
  await page.waitForSelector('#daxdi-banner:not([hidden]) #daxdi-control-preferences');
  await page.click('#daxdi-control-preferences');
  await page.waitForSelector('#daxdi-preferences:not([hidden]) #daxdi-category-profiling');
  const boxes = await page.$$eval('#daxdi-preferences input[type=checkbox]',
    all => all.map(b => ({ id: b.id, checked: b.checked, disabled: b.disabled })));
  check(same(boxes, [
    { id: 'daxdi-category-technical', checked: true, disabled: true },
    { id: 'daxdi-category-profiling', checked: false, disabled: false },
  ]), `the preferences panel shows ${JSON.stringify(boxes)}`);
  await page.click('#daxdi-category-profiling');
  const custom = await decide(() => page.click('#daxdi-control-save'), 'custom');
  seen = await state();
  check(custom.subjectId === subjectId, `Save recorded subject ${custom.subjectId}, not ${subjectId}`);
  check(custom.control === 'save', `Save recorded control ${custom.control}`);
  check(same(seen.applied, { technical: true, profiling: true }), `after Save the page applied ${JSON.stringify(seen.applied)}`);
  check(!seen.bannerShown, 'the banner still shows after Save');
  healthy('Save');
  report('save', { subjectId: custom.subjectId, decision: custom.decision, control: custom.control,
    validForProcessing: custom.validForProcessing, effective: custom.effective, applied: seen.applied, bannerShown: seen.bannerShown,
    sequence: custom.sequence });

  // 4. Withdrawal: one click, effective at once; the banner asks again.
  step = 'withdraw';
  const withdrawn = await decide(() => page.click('#daxdi-withdraw'), 'withdraw');
  await page.waitForSelector('#daxdi-banner:not([hidden])');
  seen = await state();
  check(withdrawn.subjectId === subjectId, `the withdrawal recorded subject ${withdrawn.subjectId}, not ${subjectId}`);
  check(same(seen.applied, { technical: true, profiling: false }), `after withdrawing the page applied ${JSON.stringify(seen.applied)}`);
  check(!seen.preferencesShown, 'after withdrawing the banner opens on the preferences panel as the visitor left it (profiling ticked)');
  healthy('withdraw');
  report('withdraw', { subjectId: withdrawn.subjectId, decision: withdrawn.decision, effective: withdrawn.effective,
    applied: seen.applied, bannerShown: seen.bannerShown, sequence: withdrawn.sequence });

  // 5. Coming back after withdrawing: the API says renew, so the banner asks, and nothing optional is applied.
  step = 'reload after withdrawing';
  const [again] = await Promise.all([answer('GET', `/consent-subjects/${subjectId}`), page.reload()]);
  check(again.ok(), `GET /consent-subjects answered ${again.status()}`);
  const renewed = await again.json();
  await page.waitForSelector('#daxdi-banner:not([hidden]) #daxdi-control-continue');
  seen = await state();
  check(renewed.renewalRequired === true && renewed.renewalReason === 'withdrawn',
    `after withdrawing the API answers renewalRequired ${renewed.renewalRequired} (${renewed.renewalReason})`);
  check(same(seen.applied, { technical: true, profiling: false }), `after withdrawing and reloading the page applied ${JSON.stringify(seen.applied)}`);
  healthy('reload after withdrawing');
  report('reopen', { subjectId: seen.subjectId, decision: renewed.decision, renewalRequired: renewed.renewalRequired,
    renewalReason: renewed.renewalReason, effective: renewed.effective, applied: seen.applied, bannerShown: seen.bannerShown });

  console.log('banner checks passed');
} catch (error) {
  await browser?.close().catch(() => {});
  // A wait that timed out says little by itself: what the page reported says why (a CORS refusal, a script error).
  const message = error instanceof Error ? error.message : String(error);
  fail(`${step}: ${problems.length > 0 && !message.includes(problems[0]) ? `${message}; the page reported: ${problems.join('; ')}` : message}`);
}

await browser.close();

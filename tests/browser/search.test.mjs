// The search page of issue 4 in real Chromium, over the example portal: results for
// ?q=..., the header search box, a facet, folding of tone marks and đ, the no-results message
// with links to the query without the word that matched nothing, the live announcement of
// the count, and the page without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  REPO, siteDir, serve, launch, openPage, settleSearch, readStrings,
} from './lib.mjs';

const STUB = process.env.SANGTAO_SEARCH_STUB === '1';
const skip = STUB ? 'the theme has no search page yet (themes/default/templates/search.html)' : false;
const vi = readStrings(path.join(REPO, 'themes/default/i18n/vi.toml'));

// Entry pages: /ke-hoach/2023/x/, /giai-phap/2023/x/, /tin-tuc/2023/x/, or a free page.
const ENTRY = /^\/(ke-hoach|giai-phap|tin-tuc)\/\d{4}\/[^/]+\/$|^\/(gioi-thieu|lien-he)\/$/;

let server;
let browser;
before(async () => {
  if (STUB) return;
  server = await serve(siteDir('vi'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The result links inside <main> (#search-results), in order: links to entries outside forms, facets and navs. */
async function results(page) {
  return page.evaluate((entry) => {
    const re = new RegExp(entry);
    // The results list of themes/default/templates/search.html, else all of <main>.
    const main = document.querySelector('#search-results') || document.querySelector('main');
    const out = [];
    const seen = new Set();
    for (const a of main.querySelectorAll('a[href]')) {
      if (a.closest('form, nav, fieldset, [role=search], .facets, .search-facets, aside')) continue;
      const u = new URL(a.href);
      if (u.origin !== location.origin || !re.test(u.pathname) || seen.has(u.pathname)) continue;
      seen.add(u.pathname);
      const item = a.closest('li, article') || a;
      out.push({ url: u.pathname, title: a.textContent.trim(), text: item.textContent.replace(/\s+/g, ' ').trim() });
    }
    return out;
  }, ENTRY.source);
}

/** The text announced to screen readers (role=status / aria-live inside <main>). */
const announced = (page) => page.evaluate(() => [...document.querySelectorAll('main [role=status], main [aria-live]')]
  .map((e) => e.textContent.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' | '));

async function open(q, width = 1280) {
  const ctx = await openPage(browser, width);
  await ctx.page.goto(`${server.url}/tim-kiem/${q === null ? '' : `?q=${encodeURIComponent(q).replace(/%20/g, '+')}`}`, { waitUntil: 'load' });
  await settleSearch(ctx.page);
  return ctx;
}

async function waitForResults(page, timeout = 10000) {
  await page.waitForFunction((entry) => {
    const re = new RegExp(entry);
    const scope = document.querySelector('#search-results') || document.querySelector('main');
    return [...scope.querySelectorAll('a[href]')].some((a) => !a.closest('form, nav, fieldset, aside') && re.test(new URL(a.href).pathname));
  }, ENTRY.source, { timeout }).catch(() => {});
}

test('search: ?q=sang+tao lists entries inside <main>, announced to screen readers', { skip }, async () => {
  const { context, page, log } = await open('sang tao');
  try {
    await waitForResults(page);
    const rs = await results(page);
    assert.ok(rs.length >= 3, `at least 3 results for "sang tao", got ${JSON.stringify(rs)}`);
    assert.match(rs[0].url, ENTRY, 'the first result links to an entry');
    const first = await fetch(`${server.url}${rs[0].url}`);
    assert.equal(first.status, 200, `the first result ${rs[0].url} exists`);
    const input = await page.locator('main input[name="q"]').first().inputValue().catch(() => null);
    if (input !== null) assert.equal(input, 'sang tao', 'the page form shows the query');
    const live = await announced(page);
    assert.match(live, /\d/, `the result count is announced in a live region (got "${live}")`);
    // Syllables that matched are highlighted in the excerpts.
    const marks = await page.locator('main mark').count();
    assert.ok(marks > 0, 'matched syllables are highlighted with <mark>');
    assert.deepEqual(log.errors, [], 'script errors');
    assert.deepEqual(log.bad, [], 'failed responses');
  } finally {
    await context.close();
  }
});

test('search: the header box, typed "robot" + Enter, lands on /tim-kiem/?q=robot with Robot results', { skip }, async () => {
  const { context, page, log } = await openPage(browser, 375);
  try {
    await page.goto(`${server.url}/ke-hoach/`, { waitUntil: 'load' });
    const box = page.locator('header input[name="q"]').first();
    await box.click();
    await box.pressSequentially('robot', { delay: 20 });
    await Promise.all([page.waitForURL(/\/tim-kiem\//), box.press('Enter')]);
    const u = new URL(page.url());
    assert.equal(u.pathname, '/tim-kiem/');
    assert.equal(u.searchParams.get('q'), 'robot');
    await settleSearch(page);
    await waitForResults(page);
    const rs = await results(page);
    assert.ok(rs.length >= 1, 'results for "robot"');
    assert.match(rs[0].text, /Robot/, `the first result is about robots: ${rs[0].text.slice(0, 200)}`);
    assert.ok(rs.some((r) => r.url === '/giai-phap/2023/robot-cuu-hoa/'), `the robot solution is found: ${rs.map((r) => r.url).join(', ')}`);
    assert.deepEqual(log.errors, [], 'script errors');
  } finally {
    await context.close();
  }
});

test('search: a facet narrows the results and goes into the URL', { skip }, async () => {
  const { context, page } = await open('sang tao');
  try {
    await waitForResults(page);
    const before = await results(page);
    const beforeUrl = new URL(page.url());
    // A facet control for the type "news": a checkbox/radio with value news, or a link with type=news.
    const control = page.locator([
      'main input[type=checkbox][value="news"]', 'main input[type=radio][value="news"]',
      'main a[href*="type=news"]', 'main button[value="news"]', 'main a[href*="kind=news"]',
    ].join(', ')).first();
    assert.ok(await control.count() > 0, 'a facet control for the type "news"');
    const tag = await control.evaluate((e) => e.tagName);
    const urlChanged = page.waitForURL((u) => [...new URL(u).searchParams.keys()].some((k) => k !== 'q'), { timeout: 10000 });
    if (tag === 'INPUT') await control.check();
    else await control.click();
    // A form with a submit button may need it pressed.
    const changed = await urlChanged.then(() => true, () => false);
    if (!changed) {
      const submit = page.locator('main form button[type=submit], main form input[type=submit]').first();
      if (await submit.count()) await Promise.all([page.waitForURL((u) => [...new URL(u).searchParams.keys()].some((k) => k !== 'q')), submit.click()]);
    }
    await settleSearch(page);
    await waitForResults(page);
    const after = await results(page);
    const u = new URL(page.url());
    const facetKeys = [...u.searchParams.keys()].filter((k) => k !== 'q');
    assert.ok(facetKeys.length > 0, `the URL gains a facet parameter: ${u.search} (was ${beforeUrl.search})`);
    assert.equal(u.searchParams.get('q'), 'sang tao', 'the query stays');
    assert.ok(after.length > 0, 'news results remain');
    assert.notEqual(after.length, before.length, `the result count changes (${before.length} -> ${after.length})`);
    assert.ok(after.every((r) => r.url.startsWith('/tin-tuc/')), `only news: ${after.map((r) => r.url).join(', ')}`);
    // The shareable URL gives the same results on a fresh load.
    await page.goto(page.url(), { waitUntil: 'load' });
    await settleSearch(page);
    await waitForResults(page);
    assert.deepEqual((await results(page)).map((r) => r.url), after.map((r) => r.url), 'same results from the shared URL');
  } finally {
    await context.close();
  }
});

for (const [q, expect] of [
  ['dao tao', null],
  ['doi moi sang tao', null],
  ['182/KH-GDĐT', '/ke-hoach/2023/182-kh-gddt-nha-be/'],
  ['nha be', null],
]) {
  test(`search: "${q}" returns results${expect ? ` (${expect} first)` : ''}`, { skip }, async () => {
    const { context, page } = await open(q);
    try {
      await waitForResults(page);
      const rs = await results(page);
      assert.ok(rs.length >= 1, `results for "${q}"`);
      if (expect) assert.equal(rs[0].url, expect);
    } finally {
      await context.close();
    }
  });
}

test('search: "xyzzyqq đổi mới" says nothing matched and links to the query without "xyzzyqq"', { skip }, async () => {
  const { context, page } = await open('xyzzyqq đổi mới');
  try {
    await page.waitForTimeout(300);
    const rs = await results(page);
    assert.deepEqual(rs, [], 'no results when a word matches nothing');
    const text = await page.locator('main').innerText();
    const live = await announced(page);
    assert.ok(text.includes(vi.search_no_results) || live.includes(vi.search_no_results), `the page says "${vi.search_no_results}": ${text.slice(0, 400)}`);
    const links = await page.evaluate(() => [...document.querySelectorAll('main a[href]')].map((a) => a.href));
    const without = links.map((h) => new URL(h)).filter((u) => u.pathname === '/tim-kiem/' && u.searchParams.has('q'));
    assert.ok(without.some((u) => u.searchParams.get('q').trim() === 'đổi mới'), `a link to ?q=đổi mới: ${links.join(', ')}`);
    // Following it finds results.
    const target = without.find((u) => u.searchParams.get('q').trim() === 'đổi mới');
    await page.goto(target.href, { waitUntil: 'load' });
    await settleSearch(page);
    await waitForResults(page);
    assert.ok((await results(page)).length > 0, 'results for "đổi mới"');
  } finally {
    await context.close();
  }
});

test('search: keyboard only, from the header box to a result', { skip }, async () => {
  const { context, page } = await openPage(browser, 1280);
  try {
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    // Tab from the top of the page until the header search box has focus.
    let focused = '';
    for (let i = 0; i < 10 && focused !== 'header-q'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement && document.activeElement.closest('header') && document.activeElement.name === 'q' ? 'header-q' : ''));
    }
    assert.equal(focused, 'header-q', 'the header search box is reachable with Tab');
    await page.keyboard.type('robot');
    await Promise.all([page.waitForURL(/\/tim-kiem\/\?q=robot/), page.keyboard.press('Enter')]);
    await settleSearch(page);
    await waitForResults(page);
    // Tab onwards until a result link has focus, then follow it with Enter.
    let onResult = null;
    for (let i = 0; i < 60 && !onResult; i++) {
      await page.keyboard.press('Tab');
      onResult = await page.evaluate(() => {
        const a = document.activeElement;
        return a && a.tagName === 'A' && a.closest('main') && /^\/(ke-hoach|giai-phap|tin-tuc)\/\d{4}\//.test(new URL(a.href).pathname) ? new URL(a.href).pathname : null;
      });
    }
    assert.ok(onResult, 'a result link is reachable with Tab');
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
    });
    assert.ok((outline.style !== 'none' && outline.width > 0) || outline.shadow !== 'none', `visible focus on the result link: ${JSON.stringify(outline)}`);
    await Promise.all([page.waitForURL((u) => new URL(u).pathname === onResult), page.keyboard.press('Enter')]);
  } finally {
    await context.close();
  }
});

test('search: without JavaScript the page says so and points to the listings and the unit directory', { skip }, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/tim-kiem/?q=robot`, { waitUntil: 'load' });
    const text = await page.locator('main').innerText();
    assert.ok(text.includes('JavaScript'), `the page says search needs JavaScript: ${text.slice(0, 300)}`);
    const hrefs = await page.evaluate(() => [...document.querySelectorAll('main a[href]')].map((a) => new URL(a.href).pathname));
    for (const p of ['/ke-hoach/', '/don-vi/']) assert.ok(hrefs.includes(p), `main links to ${p}: ${hrefs.join(', ')}`);
  } finally {
    await context.close();
  }
});

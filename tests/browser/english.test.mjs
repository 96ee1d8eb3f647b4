// The English interface (language = "en") shows no Vietnamese UI strings.
//
// Content (titles, bodies, unit and topic names, the site's title and description) is
// legitimately Vietnamese, so only the interface is checked: header, nav and footer with the
// content in them taken out, labels inside <main> that come from the theme's strings
// (breadcrumbs, dt, th, label, button, legend, section headings outside the body, "see all"
// links, pagination, kind labels, the document head's fixed lines), and the aria-label,
// placeholder and title attributes everywhere. The forbidden strings are the values of
// themes/default/i18n/vi.toml that differ from their English value, 4 characters or longer
// (for a value with a {placeholder}, its longest literal part).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  PAGES, REPO, siteDir, serve, launch, openPage, settleSearch, readStrings,
} from './lib.mjs';

const vi = readStrings(path.join(REPO, 'themes/default/i18n/vi.toml'));
const en = readStrings(path.join(REPO, 'themes/default/i18n/en.toml'));
const FORBIDDEN = [...new Set(Object.keys(vi)
  .filter((k) => k !== 'locale' && vi[k] !== en[k])
  .map((k) => vi[k].split(/\{[a-z_]+\}/).map((s) => s.trim()).sort((a, b) => b.length - a.length)[0])
  .filter((s) => s && [...s].length >= 4))];

// Content strings of the site (site.toml) that may appear in the chrome.
const siteToml = fs.readFileSync(path.join(process.env.SANGTAO_SITE_ROOT || REPO, 'site.toml'), 'utf8');
const CONTENT = ['title', 'description']
  .map((k) => siteToml.match(new RegExp(`^${k}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'm'))?.[1])
  .filter(Boolean).map((s) => JSON.parse(`"${s}"`));

let server;
let browser;
before(async () => {
  server = await serve(siteDir('en'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the list of Vietnamese UI strings is sane', () => {
  assert.ok(Object.keys(vi).length >= 50, `vi.toml read: ${Object.keys(vi).length} keys`);
  assert.deepEqual(Object.keys(vi).sort(), Object.keys(en).sort(), 'vi.toml and en.toml have the same keys');
  for (const s of ['Trang chủ', 'Kế hoạch', 'Tìm kiếm', 'Đơn vị', 'Nơi nhận:']) assert.ok(FORBIDDEN.includes(s), `${s} is checked`);
});

/** Collects the interface text of the page (see the file's comment). */
async function chromeText(page, labelH1) {
  return page.evaluate(({ labelH1, content }) => {
    const parts = [];
    const UNIT_OR_TOPIC = /\/(don-vi|chu-de)\/[^/]+\/$/;
    const SECTIONS = ['ke-hoach', 'giai-phap', 'tin-tuc', 'don-vi', 'chu-de', 'tim-kiem'];
    const base = new URL(document.querySelector('header a[href]')?.getAttribute('href') || '/', location.href).pathname;
    const strip = (root) => {
      const c = root.cloneNode(true);
      // Content inside the chrome: the site's name and owner, unit and topic names, entry titles.
      c.querySelectorAll('.site-title, .site-owner, .site-name, .footer-title, .doc-org, .doc-place, dd, .card-title, .card-summary, .num, .unit, .award, .prose, .doc-body, .doc-basis, .doc-subject, .sig-name, .sig-authority, .sig-title, .breadcrumbs [aria-current], mark, script, style, template').forEach((e) => e.remove());
      c.querySelectorAll('a[href]').forEach((a) => {
        const href = a.getAttribute('href');
        if (UNIT_OR_TOPIC.test(new URL(href, location.href).pathname) && !/\/(don-vi|chu-de)\/$/.test(href)) a.remove();
      });
      // Menu items the site adds (site.toml menu, free pages) carry content titles.
      c.querySelectorAll('nav a[href]').forEach((a) => {
        const seg = new URL(a.getAttribute('href'), location.href).pathname.slice(base.length).split('/')[0];
        if (seg && !SECTIONS.includes(seg)) a.remove();
      });
      let t = c.textContent.replace(/\s+/g, ' ');
      for (const s of content) t = t.split(s).join(' ');
      return t;
    };
    for (const e of document.querySelectorAll('body > header, body > nav, body > footer, header.site-header, footer.site-footer, nav.site-nav, .skip-link')) parts.push(strip(e));
    const main = document.querySelector('main');
    const labels = [
      '.breadcrumbs', 'dt', 'th', 'label', 'button', 'legend', 'caption', '.more', '.pagination', '.kind',
      '.doc-country', '.doc-motto', '.doc-kind', '.doc-number', '.doc-recipients-label', '.empty', '.hint', '.print-button',
      '[role=status]', '[aria-live]', 'noscript', '.not-found', 'time', 'summary', '.search-kind', '.search-no-js',
      '.search-without', '.search-more', '.search-facet:first-child li a', '.search-facet:first-child h2',
      'h2:not(.card-title)', 'h3:not(.card-title)',
    ];
    for (const sel of labels) {
      for (const e of main.querySelectorAll(sel)) {
        if (e.closest('.prose, .doc-body, .doc-basis, .task-desc, .card-summary') && !e.matches('.doc-number')) continue;
        if (/^h[23]$/i.test(e.tagName) && e.closest('.cards, .card, article.result, li')) continue;
        parts.push(sel + ': ' + strip(e));
      }
    }
    for (const e of main.querySelectorAll('td[data-label]')) parts.push('data-label: ' + e.getAttribute('data-label'));
    if (labelH1) main.querySelectorAll('h1').forEach((h) => parts.push('h1: ' + strip(h)));
    for (const e of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      if (e.closest('.prose, .doc-body') || e.tagName === 'IMG') continue;
      for (const a of ['aria-label', 'placeholder', 'title']) {
        const v = e.getAttribute(a);
        if (v && !(e.tagName === 'LINK' && a === 'title') && !content.includes(v)) parts.push(`${a}: ${v}`);
      }
    }
    // The <title> holds the page's title (content) except on pages whose h1 is a label.
    if (labelH1) parts.push('title: ' + content.reduce((t, s) => t.split(s).join(' '), document.title));
    return parts.join('\n');
  }, { labelH1, content: CONTENT });
}

for (const p of PAGES) {
  test(`English interface: ${p.name} (/${p.path})`, async () => {
    const { context, page, log } = await openPage(browser, 1280);
    try {
      const resp = await page.goto(`${server.url}/${p.path}`, { waitUntil: 'load' });
      assert.equal(resp.status(), p.status ?? 200);
      if (p.search) await settleSearch(page);
      const lang = await page.evaluate(() => document.documentElement.lang);
      assert.match(lang, /^en\b/, `<html lang="${lang}">`);
      const text = await chromeText(page, p.labelH1);
      const found = FORBIDDEN.filter((s) => text.includes(s)).map((s) => {
        const line = text.split('\n').find((l) => l.includes(s));
        return `"${s}" in: ${line.trim().slice(0, 200)}`;
      });
      // Dates follow the language: "14 February 2023", not "ngày 14 tháng 02 năm 2023".
      const dates = await page.evaluate(() => [...document.querySelectorAll('time')].map((t) => t.textContent.trim()));
      const viDates = dates.filter((d) => /tháng|ngày|năm/i.test(d));
      assert.deepEqual(found, [], `Vietnamese UI strings on the English ${p.name} page:\n${found.join('\n')}`);
      assert.deepEqual(viDates, [], `Vietnamese dates on the English ${p.name} page`);
      assert.deepEqual(log.errors, [], 'script errors');
    } finally {
      await context.close();
    }
  });
}

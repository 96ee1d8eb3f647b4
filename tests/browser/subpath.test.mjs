// The site built with base_url = "https://dmst.example.edu.vn/cong/dmst" and served under
// /cong/dmst/ of another host (127.0.0.1): every reference to the site's own files is
// relative or starts with /cong/dmst/, never the absolute base_url (feeds and the sitemap
// may use it; so may <link rel=canonical>), nothing fails to load, and every link of the
// checked pages leads to a page that exists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  PAGES, SUB_PREFIX, BASE_URL_HOST, siteDir, serve, launch, openPage, settleSearch,
} from './lib.mjs';

let server;
let browser;
before(async () => {
  const root = siteDir('sub');
  server = await serve(root, { notFoundDir: `${root}${SUB_PREFIX}` });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const CHECKED = ['home', 'plan', 'search', 'unit', 'listing plans', 'news', 'solution', 'topic', '404'];
const linkStatus = new Map();

for (const p of PAGES.filter((p) => CHECKED.includes(p.name))) {
  test(`sub-path ${SUB_PREFIX}: ${p.name} (${SUB_PREFIX}${p.path})`, async () => {
    const { context, page, log } = await openPage(browser, 1280);
    try {
      const url = `${server.url}${SUB_PREFIX}${p.path}`;
      const resp = await page.goto(url, { waitUntil: 'load' });
      assert.equal(resp.status(), p.status ?? 200, `status of ${url}`);
      if (p.search) await settleSearch(page);
      else await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});

      const problems = [];
      const refs = await page.evaluate(() => {
        const out = [];
        for (const [sel, attr] of [['link[href]', 'href'], ['script[src]', 'src'], ['img[src]', 'src'], ['source[src]', 'src'], ['a[href]', 'href'], ['form[action]', 'action'], ['iframe[src]', 'src']]) {
          for (const e of document.querySelectorAll(sel)) {
            out.push({ tag: e.tagName.toLowerCase(), rel: e.getAttribute('rel') || '', attr, value: e.getAttribute(attr), abs: e[attr] || '' });
          }
        }
        for (const e of document.querySelectorAll('img[srcset], source[srcset]')) {
          for (const part of e.getAttribute('srcset').split(',')) out.push({ tag: e.tagName.toLowerCase(), rel: '', attr: 'srcset', value: part.trim().split(/\s+/)[0], abs: '' });
        }
        return out;
      });
      for (const r of refs) {
        const v = r.value.trim();
        if (/^(#|data:|mailto:|tel:|javascript:)/i.test(v) || v === '') continue;
        const isCanonical = r.tag === 'link' && /\bcanonical\b/i.test(r.rel);
        if (v.includes(BASE_URL_HOST)) {
          if (!isCanonical) problems.push(`absolute base_url in <${r.tag} ${r.attr}="${v}">`);
          continue;
        }
        if (/^[a-z][a-z0-9+.-]*:/i.test(v) || v.startsWith('//')) {
          // Another site: fine for a link, not for a file the page loads.
          if (r.tag !== 'a') problems.push(`<${r.tag} ${r.attr}="${v}"> loads a file from another site`);
          continue;
        }
        if (v.startsWith('/') && !v.startsWith(SUB_PREFIX)) problems.push(`<${r.tag} ${r.attr}="${v}"> is root-relative without ${SUB_PREFIX}`);
      }

      // Nothing fails to load (same origin: the test server).
      if (log.failed.length) problems.push(`failed requests:\n  ${log.failed.join('\n  ')}`);
      const bad = log.bad.filter((b) => !(p.status === 404 && b === `404 ${url}`));
      if (bad.length) problems.push(`responses >= 400:\n  ${bad.join('\n  ')}`);
      const foreign = log.requests.filter((u) => !/^(data|blob):/.test(u) && new URL(u).origin !== server.origin);
      if (foreign.length) problems.push(`requests leaving the site:\n  ${foreign.join('\n  ')}`);
      const outside = log.requests.filter((u) => u.startsWith(server.origin) && !new URL(u).pathname.startsWith(SUB_PREFIX));
      if (outside.length) problems.push(`requests outside ${SUB_PREFIX}:\n  ${outside.join('\n  ')}`);
      if (log.errors.length) problems.push(`script errors:\n  ${log.errors.join('\n  ')}`);

      // Every same-site link and loaded file exists.
      const targets = [...new Set(refs
        .filter((r) => r.abs && r.abs.startsWith(server.origin) && r.attr !== 'action' && !r.value.startsWith('#'))
        .map((r) => r.abs.split('#')[0]))];
      for (const t of targets) {
        if (!linkStatus.has(t)) {
          const res = await fetch(t, { method: 'HEAD', redirect: 'manual' });
          linkStatus.set(t, res.status);
        }
        if (linkStatus.get(t) >= 400) problems.push(`broken link: ${t.slice(server.origin.length)} (${linkStatus.get(t)})`);
      }

      assert.ok(problems.length === 0, `${SUB_PREFIX}${p.path}:\n${problems.join('\n')}`);
    } finally {
      await context.close();
    }
  });
}

test(`sub-path ${SUB_PREFIX}: the header search box leads to ${SUB_PREFIX}tim-kiem/`, async () => {
  const { context, page } = await openPage(browser, 1280);
  try {
    await page.goto(`${server.url}${SUB_PREFIX}`, { waitUntil: 'load' });
    const box = page.locator('header input[name="q"], header input[type="search"]').first();
    await box.fill('robot');
    await Promise.all([page.waitForURL(/tim-kiem/), box.press('Enter')]);
    const u = new URL(page.url());
    assert.equal(u.pathname, `${SUB_PREFIX}tim-kiem/`);
    assert.equal(u.searchParams.get('q'), 'robot');
  } finally {
    await context.close();
  }
});

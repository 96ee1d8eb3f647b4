// Every page kind of the example portal at 375 px and 1280 px: no horizontal overflow on the
// phone, no axe-core violations (WCAG 2.0/2.1 A + AA), no request that leaves the site, no
// failed request, no script error, `lang` set, a skip link to <main>, one <h1>, one <main>.
// At 320 px (the smallest phone of issue 6) the same without axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  PAGES, siteDir, serve, launch, openPage, settleSearch, axe, formatViolations,
} from './lib.mjs';

let server;
let browser;
before(async () => {
  server = await serve(siteDir('vi'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const width of [375, 1280, 320]) {
  for (const p of PAGES) {
    test(`${p.name} (/${p.path}) at ${width} px${width === 320 ? ' (overflow and requests only)' : ''}`, async () => {
      const { context, page, log } = await openPage(browser, width);
      try {
        const url = `${server.url}/${p.path}`;
        const resp = await page.goto(url, { waitUntil: 'load' });
        assert.equal(resp.status(), p.status ?? 200, `status of ${url}`);
        if (p.search) await settleSearch(page);
        else await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});

        const problems = [];

        // Only the site's own files.
        const foreign = log.requests.filter((u) => !/^(data|blob):/.test(u) && new URL(u).origin !== server.origin);
        if (foreign.length) problems.push(`requests leaving the site:\n  ${foreign.join('\n  ')}`);
        if (log.failed.length) problems.push(`failed requests:\n  ${log.failed.join('\n  ')}`);
        const bad = log.bad.filter((b) => !(p.status === 404 && b === `404 ${url}`));
        if (bad.length) problems.push(`responses >= 400:\n  ${bad.join('\n  ')}`);
        if (log.errors.length) problems.push(`script errors:\n  ${log.errors.join('\n  ')}`);

        // Basic structure.
        const facts = await page.evaluate(() => ({
          lang: document.documentElement.lang,
          mains: document.querySelectorAll('main').length,
          skip: document.querySelector('a[href="#main"]') !== null && document.getElementById('main')?.tagName === 'MAIN',
          h1: document.querySelectorAll('h1').length,
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          wide: [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter((e) => !e.closest('.vh, .skip-link'))
            .slice(0, 8)
            .map((e) => `<${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : ''}> right=${Math.round(e.getBoundingClientRect().right)}`),
        }));
        if (!facts.lang) problems.push('<html> has no lang');
        if (facts.mains !== 1) problems.push(`${facts.mains} <main> elements`);
        if (!facts.skip) problems.push('no skip link to <main id="main">');
        if (facts.h1 !== 1) problems.push(`${facts.h1} <h1> elements`);
        if (width <= 375 && facts.scrollWidth > facts.clientWidth) {
          problems.push(`horizontal overflow at ${width} px: scrollWidth ${facts.scrollWidth} > clientWidth ${facts.clientWidth}; widest elements:\n  ${facts.wide.join('\n  ')}`);
        }

        const violations = width === 320 ? [] : await axe(page);
        if (violations.length) problems.push(`axe-core violations:\n${formatViolations(violations)}`);

        assert.ok(problems.length === 0, `${p.name} /${p.path} at ${width} px:\n${problems.join('\n')}`);
      } finally {
        await context.close();
      }
    });
  }
}

// Visible focus (WCAG 2.4.7): the first tab stops of a few pages show an outline or a shadow,
// and the skip link, first of all, becomes visible and moves focus to <main>.
for (const p of PAGES.filter((x) => ['home', 'plan', 'unit directory'].includes(x.name))) {
  test(`keyboard: visible focus on the first tab stops of ${p.name} (/${p.path})`, async () => {
    const { context, page } = await openPage(browser, 1280);
    try {
      await page.goto(`${server.url}/${p.path}`, { waitUntil: 'load' });
      const problems = [];
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          const s = getComputedStyle(e);
          const r = e.getBoundingClientRect();
          return {
            el: `<${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).trim().replace(/\s+/g, '.') : ''}> ${(e.textContent || e.getAttribute('aria-label') || e.name || '').trim().slice(0, 40)}`,
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
            shadow: s.boxShadow !== 'none',
            onScreen: r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0,
            skip: e.matches('a[href="#main"]'),
          };
        });
        if (!f) break;
        if (!(f.outline || f.shadow)) problems.push(`no visible focus indicator on ${f.el}`);
        if (!f.onScreen) problems.push(`focused element off screen or invisible: ${f.el}`);
        if (i === 0) {
          if (!f.skip) problems.push(`the first tab stop is not the skip link but ${f.el}`);
          await page.keyboard.press('Enter');
          const inMain = await page.evaluate(() => document.activeElement?.id === 'main' || location.hash === '#main');
          if (!inMain) problems.push('the skip link does not lead to <main id="main">');
          await page.goto(`${server.url}/${p.path}`, { waitUntil: 'load' });
          await page.keyboard.press('Tab');
        }
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    } finally {
      await context.close();
    }
  });
}

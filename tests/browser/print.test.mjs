// A plan printed with print media keeps the official layout of Nghị định 30/2020/NĐ-CP on A4:
// site chrome hidden, issuer and nation boxes side by side, signer right of the recipients,
// @page margins within the decree's ranges, and Chromium prints it to an A4 PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { siteDir, serve, launch, openPage, PAGES } from './lib.mjs';

const PLAN = PAGES.find((p) => p.name === 'plan').path;
let server;
let browser;
let ctx;
before(async () => {
  server = await serve(siteDir('vi'));
  browser = await launch();
  // The printable width of A4 with 30 + 15 mm side margins is 165 mm ≈ 624 CSS px.
  ctx = await openPage(browser, 624, { media: 'print', height: 1000 });
  await ctx.page.goto(`${server.url}/${PLAN}`, { waitUntil: 'load' });
});
after(async () => {
  await ctx?.context.close();
  await browser?.close();
  await server?.close();
});

const box = (page, sel) => page.evaluate((s) => {
  const e = document.querySelector(s);
  if (!e) return null;
  const r = e.getBoundingClientRect();
  return { top: r.top, left: r.left, right: r.right, bottom: r.bottom, width: r.width, display: getComputedStyle(e).display };
}, sel);

test('print media hides the site chrome', async () => {
  const { page } = ctx;
  const shown = await page.evaluate(() => {
    const sels = ['header.site-header', 'nav.site-nav', 'footer.site-footer', '.skip-link', '.print-button', 'form[role=search]', 'body > header', 'body > footer', 'body > nav', 'nav[aria-label]'];
    const out = [];
    for (const s of sels) {
      for (const e of document.querySelectorAll(s)) {
        if (e.closest('main article')) continue; // a nav inside the document itself would be content
        const r = e.getBoundingClientRect();
        if (getComputedStyle(e).display !== 'none' && r.width * r.height > 0) out.push(`${s}: display ${getComputedStyle(e).display}, ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
    return out;
  });
  assert.deepEqual(shown, [], `visible in print media:\n${shown.join('\n')}`);
  const missing = await page.evaluate(() => ['header', 'nav', 'footer'].filter((t) => !document.querySelector(t)));
  assert.deepEqual(missing, [], 'the screen page has header, nav and footer');
});

test('print media keeps the two-column official header', async () => {
  const { page } = ctx;
  const issuer = await box(page, '.doc-issuer');
  const nation = await box(page, '.doc-nation');
  assert.ok(issuer && nation, 'the plan has .doc-issuer and .doc-nation');
  assert.ok(Math.abs(issuer.top - nation.top) <= 4, `issuer top ${issuer.top} vs nation top ${nation.top}: not side by side`);
  assert.ok(issuer.right <= nation.left + 1, `issuer box [${issuer.left}, ${issuer.right}] must be left of nation box [${nation.left}, ${nation.right}]`);
  const texts = await page.evaluate(() => ({
    issuer: document.querySelector('.doc-issuer').innerText,
    nation: document.querySelector('.doc-nation').innerText,
    title: document.querySelector('.doc-title')?.innerText || '',
  }));
  assert.match(texts.issuer, /Số:/, 'số ký hiệu under the issuer');
  assert.match(texts.nation, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  assert.match(texts.nation, /Độc lập - Tự do - Hạnh phúc/);
  assert.match(texts.title, /KẾ HOẠCH/);
  const title = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('.doc-title'));
    return { align: s.textAlign, weight: Number(s.fontWeight) };
  });
  assert.equal(title.align, 'center', 'KẾ HOẠCH and the trích yếu are centred');
  assert.ok(title.weight >= 600, `the title is bold (font-weight ${title.weight})`);
  const place = await page.evaluate(() => {
    const e = document.querySelector('.doc-place');
    return e ? getComputedStyle(e.querySelector('em') || e).fontStyle : 'missing';
  });
  assert.equal(place, 'italic', 'place and date in italics');
});

test('print media puts the signer block right of the recipients', async () => {
  const { page } = ctx;
  const rec = await box(page, '.doc-recipients');
  const sig = await box(page, '.doc-signer');
  assert.ok(rec && sig, 'the plan has .doc-recipients and .doc-signer');
  assert.ok(sig.left >= rec.right - 1, `signer [${sig.left}, ${sig.right}] must be right of recipients [${rec.left}, ${rec.right}]`);
  assert.ok(Math.abs(rec.top - sig.top) <= 4, `recipients top ${rec.top} vs signer top ${sig.top}: not side by side`);
});

test('@page margins follow the decree (top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm)', async () => {
  const { page } = ctx;
  const rules = await page.evaluate(() => {
    const found = [];
    const walk = (list, media) => {
      for (const r of list) {
        if (r instanceof CSSPageRule) {
          found.push({ media, selector: r.selectorText, css: r.cssText, top: r.style.marginTop, right: r.style.marginRight, bottom: r.style.marginBottom, left: r.style.marginLeft, size: r.style.getPropertyValue('size') });
        } else if (r.cssRules) {
          walk(r.cssRules, r.media ? r.media.mediaText : media);
        }
      }
    };
    for (const sheet of document.styleSheets) {
      try { walk(sheet.cssRules, sheet.media.mediaText || 'all'); } catch { /* cross-origin sheet */ }
    }
    return found;
  });
  const mm = (v) => {
    const m = String(v).match(/^([\d.]+)(mm|cm|in|pt|px|pc|q)$/i);
    if (!m) return NaN;
    const k = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72, px: 25.4 / 96, pc: 25.4 / 6, q: 0.25 }[m[2].toLowerCase()];
    return Number(m[1]) * k;
  };
  const plain = rules.filter((r) => !r.selector || r.selector === '');
  assert.ok(plain.length > 0, `an @page rule without a page selector exists (found: ${JSON.stringify(rules)})`);
  // The last rule wins for each margin.
  const pick = (side) => [...plain].reverse().map((r) => r[side]).find((v) => v);
  const m = { top: mm(pick('top')), bottom: mm(pick('bottom')), left: mm(pick('left')), right: mm(pick('right')) };
  const inRange = (v, lo, hi) => v >= lo - 0.01 && v <= hi + 0.01;
  const msg = `@page margins ${JSON.stringify(m)} mm from ${plain.map((r) => r.css).join(' ')}`;
  assert.ok(inRange(m.top, 20, 25), `top: ${msg}`);
  assert.ok(inRange(m.bottom, 20, 25), `bottom: ${msg}`);
  assert.ok(inRange(m.left, 30, 35), `left: ${msg}`);
  assert.ok(inRange(m.right, 15, 20), `right: ${msg}`);
  const size = [...plain].reverse().map((r) => r.size).find((v) => v);
  if (size) assert.match(size, /A4/i, `@page size ${size}`);
});

test('the plan prints to an A4 PDF', async () => {
  const { page } = ctx;
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: false });
  assert.ok(pdf.length > 5000, `PDF of ${pdf.length} bytes`);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const text = pdf.toString('latin1');
  // Every page's MediaBox is A4: 595.x by 841.x points.
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)];
  assert.ok(boxes.length >= 1, 'the PDF has pages with a MediaBox');
  for (const b of boxes) {
    const w = Number(b[3]) - Number(b[1]);
    const h = Number(b[4]) - Number(b[2]);
    assert.ok(Math.abs(w - 595.28) < 2 && Math.abs(h - 841.89) < 2, `page of ${w}x${h} pt is not A4`);
  }
  // A plan of a few pages, not one page per element or an empty document.
  assert.ok(boxes.length <= 10, `${boxes.length} pages`);
});

test('the print button is wired by print.js (no inline handler) and prints', async () => {
  const { context } = await openPage(browser, 1024);
  try {
    const page = await context.newPage();
    await page.addInitScript(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
    await page.goto(`${server.url}/${PLAN}`, { waitUntil: 'load' });
    const button = page.locator('button.print-button');
    assert.equal(await button.getAttribute('onclick'), null, 'no inline handler');
    assert.ok(await button.isVisible(), 'shown once the script ran');
    await button.click();
    assert.equal(await page.evaluate(() => window.__printed), 1);
  } finally {
    await context.close();
  }
});

test('without JavaScript the print button stays hidden', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/${PLAN}`, { waitUntil: 'load' });
    assert.equal(await page.locator('button.print-button').isVisible(), false);
  } finally {
    await context.close();
  }
});

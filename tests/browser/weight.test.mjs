// The home page and everything it loads, images aside, weigh at most 60 KB transferred.
// The test server, like python's http.server, sends no Content-Encoding, so each response
// counts as a CDN would serve it: gzipped (zlib.gzipSync, level 9).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { siteDir, serve, launch, openPage } from './lib.mjs';

const BUDGET = 60 * 1024;
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

for (const width of [375, 1280]) {
  test(`home page weighs at most 60 KB gzipped, images aside (${width} px)`, async () => {
    const { context, page, log } = await openPage(browser, width);
    try {
      await page.goto(`${server.url}/`, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
      // Scroll to the end so lazily loaded files count too.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
      const rows = [];
      let total = 0;
      for (const r of log.responses) {
        const url = r.url();
        if (!url.startsWith(server.origin)) continue;
        if (r.request().resourceType() === 'image') continue;
        if (r.status() >= 300 && r.status() < 400) continue;
        const body = await r.body().catch(() => Buffer.alloc(0));
        const gz = zlib.gzipSync(body, { level: 9 }).length;
        total += gz;
        rows.push(`${String(gz).padStart(7)} B gz ${String(body.length).padStart(8)} B raw  ${url.slice(server.origin.length)}`);
      }
      const report = `home page at ${width} px: ${total} B gzipped (budget ${BUDGET} B)\n${rows.join('\n')}`;
      console.log(report);
      assert.ok(rows.length > 0, 'no response recorded');
      assert.ok(total <= BUDGET, report);
    } finally {
      await context.close();
    }
  });
}

// Bytes and results per query for Pagefind and for sangtao's own search, in headless Chromium.
// Used by scripts/bench-pagefind.sh; takes playwright-core from tests/browser/node_modules.
//
//   [PF_BUNDLES="pagefind pagefind-main"] node measure.mjs SITE_DIR LABEL [QUERY...]
//
// Serves SITE_DIR with `python3 -m http.server` on 127.0.0.1 and takes the list of requests
// from the server's log (so requests made by Pagefind's Web Worker count too). Each query runs
// in a fresh browser context (empty cache). Bytes of a file = gzip level 6 of its body, or its
// raw size when smaller (Pagefind's .pf_* files and its wasm are gzip-compressed already, so a
// CDN sends them as they are).
//
// Pagefind: a blank page on the same origin imports /pagefind/pagefind.js, calls
// pagefind.search(q) and loads the data() of the first 10 results, then of results 11–20.
// sangtao: /tim-kiem/?q=... until the results are rendered (20 per page, facets included).
//
// Relevance: an entry page (plan, solution, news, free page) is *relevant* when the text of its
// <main>, without breadcrumbs and the "related entries" section, contains the query's expected phrase as whole words (lowercase, with its marks); for a document number
// and for "robot" the expected entries are listed. Prints one JSON object per line.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// playwright-core from tests/browser/node_modules (or the folder in $PLAYWRIGHT_FROM).
const from = process.env.PLAYWRIGHT_FROM || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/browser');
const { chromium } = createRequire(path.join(from, 'package.json'))('playwright-core');

const [site, label, ...argQueries] = process.argv.slice(2);
const QUERIES = argQueries.length ? argQueries : [
  'dao tao', 'đào tạo', 'doi moi sang tao', 'đổi mới sáng tạo', '182/KH-GDĐT', 'nha be', 'robot',
];
// What a right answer contains: the phrase with marks, or the exact entry URLs expected first.
const EXPECT = {
  'dao tao': { phrase: 'đào tạo' },
  'đào tạo': { phrase: 'đào tạo' },
  'doi moi sang tao': { phrase: 'đổi mới sáng tạo' },
  'đổi mới sáng tạo': { phrase: 'đổi mới sáng tạo' },
  '182/KH-GDĐT': { phrase: '182/kh-gdđt', first: ['/ke-hoach/2023/182-kh-gddt-nha-be/'] },
  'nha be': { phrase: 'nhà bè' },
  robot: { phrase: 'robot', first: ['/giai-phap/2023/robot-cuu-hoa/', '/tin-tuc/2023/cuoc-thi-robot-cuu-hoa-nha-be-2023/'] },
};
// Pagefind bundles (output subfolders) to query, e.g. PF_BUNDLES="pagefind pagefind-main".
const BUNDLES = (process.env.PF_BUNDLES || 'pagefind').split(/[\s,]+/).filter(Boolean);
const ENTRY = /^\/(ke-hoach|giai-phap|tin-tuc)\/\d{4}\/[^/]+\/$|^\/(gioi-thieu|lien-he)\/$/;

// ---- ground truth: <main> text of every entry page ----
function mainText(file) {
  const s = fs.readFileSync(file, 'utf8');
  const m = /<main[\s\S]*?<\/main>/.exec(s);
  return (m ? m[0] : s)
    .replace(/<section class="related"[\s\S]*?<\/section>/g, ' ')
    .replace(/<nav[\s\S]*?<\/nav>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&#x2F;|&#47;/g, '/')
    .replace(/\s+/g, ' ').normalize('NFC').toLowerCase();
}
const entries = new Map();
(function walk(dir, rel) {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    if (d.isDirectory()) {
      if (rel === '' && (d.name.startsWith('pagefind') || d.name === 'search')) continue;
      walk(path.join(dir, d.name), `${rel}/${d.name}`);
    } else if (d.name === 'index.html' && ENTRY.test(`${rel}/`)) {
      entries.set(`${rel}/`, mainText(path.join(dir, d.name)));
    }
  }
})(site, '');
const relevantSet = (q) => {
  const e = EXPECT[q];
  if (!e) return null;
  // The phrase as whole words: "182/kh-gdđt" is not in "8182/kh-gdđt".
  const re = new RegExp(`(^|[^\\p{L}\\p{N}])${e.phrase.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'u');
  return new Set([...entries].filter(([, t]) => re.test(t)).map(([u]) => u));
};

// ---- server ----
const port = await new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', site], { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
server.stderr.setEncoding('utf8');
server.stderr.on('data', (d) => { log += d; });
const origin = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try { await fetch(`${origin}/`); break; } catch { if (i > 100) throw new Error('server did not start'); await new Promise((r) => setTimeout(r, 100)); }
}

const sizeCache = new Map();
function bytes(urlPath) {
  if (sizeCache.has(urlPath)) return sizeCache.get(urlPath);
  let p = decodeURIComponent(urlPath.split('?')[0]);
  if (p.endsWith('/')) p += 'index.html';
  const f = path.join(site, p);
  let v = { raw: 0, gz: 0, served: 0 };
  if (fs.existsSync(f)) {
    const body = fs.readFileSync(f);
    const gz = zlib.gzipSync(body, { level: 6 }).length;
    v = { raw: body.length, gz, served: Math.min(gz, body.length) };
  }
  sizeCache.set(urlPath, v);
  return v;
}
/** Requests logged since `mark` (an offset into the log). */
async function since(mark) {
  await new Promise((r) => setTimeout(r, 250));
  const out = [];
  for (const m of log.slice(mark).matchAll(/"GET (\S+) HTTP\/[\d.]+" (\d+)/g)) out.push({ path: m[1], status: +m[2] });
  return out;
}
const sum = (reqs, pred) => reqs.filter((r) => pred(r.path)).reduce((a, r) => a + bytes(r.path).served, 0);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });

function score(q, urls, count) {
  const rel = relevantSet(q);
  const e = EXPECT[q] || {};
  const top10 = urls.slice(0, 10);
  const out = {
    count,
    top10_entries: top10.filter((u) => entries.has(u)).length,
    top10_relevant: rel ? top10.filter((u) => rel.has(u)).length : null,
    relevant_total: rel ? rel.size : null,
    first: urls.slice(0, 3),
  };
  // Expected entries only where the site has them (the example portal).
  if (e.first && e.first.every((u) => entries.has(u))) out.expected_ranks = e.first.map((u) => { const i = urls.indexOf(u); return i < 0 ? null : i + 1; });
  return out;
}

async function pagefindQuery(q, bundle) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route(`${origin}/__bench.html`, (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title><p>bench</p>' }));
  await page.goto(`${origin}/__bench.html`);
  let mark = log.length;
  const count = await page.evaluate(async ([q, bundle]) => {
    window.pf = await import(`/${bundle}/pagefind.js`);
    await window.pf.init();
    window.res = await window.pf.search(q);
    return window.res.results.length;
  }, [q, bundle]);
  const searchReqs = await since(mark);
  mark = log.length;
  const urls10 = await page.evaluate(async () => Promise.all(window.res.results.slice(0, 10).map(async (r) => (await r.data()).url)));
  const data10 = await since(mark);
  mark = log.length;
  const urls20 = await page.evaluate(async () => Promise.all(window.res.results.slice(10, 20).map(async (r) => (await r.data()).url)));
  const data20 = await since(mark);
  // For recall only (not counted): the URLs of all results, on small sites.
  let all = [...urls10, ...urls20];
  if (count <= 300) all = await page.evaluate(async () => Promise.all(window.res.results.map(async (r) => (await r.data()).url)));
  await context.close();
  const isClient = (p) => p.startsWith(`/${bundle}/`) && /\/(pagefind\.js|pagefind-worker\.js|wasm\.[^/]+\.pagefind)$/.test(p);
  const inPf = (p) => p.startsWith(`/${bundle}/`);
  const reqs10 = [...searchReqs, ...data10];
  const rel = relevantSet(q);
  const sc = score(q, all.map((u) => u.replace(/index\.html$/, '')), count);
  if (rel && count <= 300) sc.recall = all.filter((u) => rel.has(u)).length;
  return {
    engine: bundle, site: label, q, ...sc,
    files10: reqs10.filter((r) => inPf(r.path)).length,
    bytes_search: sum(searchReqs, (p) => inPf(p) && !isClient(p)),
    bytes10_data: sum(reqs10, (p) => inPf(p) && !isClient(p)),
    bytes20_data: sum([...reqs10, ...data20], (p) => inPf(p) && !isClient(p)),
    bytes_client: sum(searchReqs, isClient),
    client_files: searchReqs.filter((r) => isClient(r.path)).map((r) => r.path),
    bytes10_total: sum(reqs10, inPf),
    failed: reqs10.filter((r) => r.status >= 400).map((r) => r.path),
    errors,
  };
}

async function sangtaoQuery(q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const mark = log.length;
  await page.goto(`${origin}/tim-kiem/?q=${encodeURIComponent(q).replace(/%20/g, '+')}`, { waitUntil: 'load' });
  await page.waitForFunction(() => {
    const m = document.querySelector('main');
    const st = m && m.querySelector('[role=status], [aria-live]');
    return m && !m.querySelector('[aria-busy="true"]') && st && st.textContent.trim() && !/Đang tìm|…$/.test(st.textContent.trim());
  }, null, { timeout: 30000 }).catch(() => {});
  await page.waitForLoadState('networkidle').catch(() => {});
  const reqs = await since(mark);
  const info = await page.evaluate(() => {
    const st = document.querySelector('main [role=status], main [aria-live]');
    const urls = [...document.querySelectorAll('#search-results a[href], main .search-result a[href]')]
      .map((a) => new URL(a.href).pathname);
    return { status: st ? st.textContent.trim() : '', urls: [...new Set(urls)] };
  });
  // For recall only (after the byte count): press "more" until every result is listed, on small sites.
  const m = /([\d.,]+)/.exec(info.status);
  const count = m ? +m[1].replace(/[.,]/g, '') : 0;
  let urls = info.urls;
  if (count <= 300) {
    for (let i = 0; i < 20 && urls.length < count; i++) {
      const b = page.locator('.search-more-button');
      if (!(await b.count())) break;
      await b.first().click();
      await page.waitForFunction((n) => document.querySelectorAll('main .search-result').length > n, urls.length, { timeout: 10000 }).catch(() => {});
      urls = await page.evaluate(() => [...new Set([...document.querySelectorAll('main .search-result a[href]')].map((a) => new URL(a.href).pathname))]);
    }
  }
  await context.close();
  const sc = score(q, urls, count);
  const rel = relevantSet(q);
  if (rel && count <= 300) sc.recall = urls.filter((u) => rel.has(u)).length;
  const isData = (p) => /^\/search\/.*\.json$/.test(p);
  return {
    engine: 'sangtao', site: label, q, ...sc, status: info.status,
    files: reqs.filter((r) => isData(r.path)).length,
    bytes_data: sum(reqs, isData),
    bytes_client: sum(reqs, (p) => p === '/search.js'),
    failed: reqs.filter((r) => r.status >= 400).map((r) => r.path),
    errors,
  };
}

try {
  for (const q of QUERIES) {
    for (const b of BUNDLES) console.log(JSON.stringify(await pagefindQuery(q, b)));
    console.log(JSON.stringify(await sangtaoQuery(q)));
  }
} finally {
  await browser.close();
  server.kill();
}

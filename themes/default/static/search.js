/* sangtao search client: dependency-free; mirrors src/search (token.rs, encode.rs, query.rs)
   rule for rule. Index format: docs/search.md. Everything inserted into the page is text. */
(function () {
  'use strict';
  var script = document.currentScript;
  var root = document.getElementById('search');
  if (!window.fetch || !window.URL) return;
  var base = new URL((script && script.getAttribute('data-index')) || (root && root.getAttribute('data-index')) || 'search/',
    script && script.src ? script.src : location.href);
  var PAGE = 20, MAX_KEY = 6, MAX_COMPL = 8, MAX_EXT_COMPL = 2;
  var WORD_F = 2, PREFIX_F = 1, PAIR_F = 3;
  var FACETS = ['type', 'year', 'topic', 'unit'];
  var KINDS = ['plan', 'solution', 'news', 'page'];

  /* ---- tokenising and folding (token.rs) ---- */
  var TOK = /[\p{Alphabetic}\p{N}\p{M}]/u;
  function cpAt(t, i) {
    var c = t.charCodeAt(i);
    return c >= 0xd800 && c < 0xdc00 && i + 1 < t.length ? t.slice(i, i + 2) : t.charAt(i);
  }
  function tokAt(t, i) { return i < t.length && TOK.test(cpAt(t, i)); }
  function isSoft(c) { return c === ' ' || c === '\t' || c === '\u00a0' || c === '-' || c === '/'; }
  function isQuote(c) { return c === '"' || c === '\u201c' || c === '\u201d'; }
  function exactForm(s) { return s.normalize('NFC').toLowerCase().normalize('NFC'); }
  function foldExact(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\u0111/g, 'd').normalize('NFC');
  }
  function isDigit(c) { return c >= '0' && c <= '9'; }
  function partEnd(t, j) { while (tokAt(t, j)) j += cpAt(t, j).length; return j; }
  // \d+( ?/ ?P((-|- | -)P)*)+ at s; returns {exact, end} or null.
  function scanNumber(t, s) {
    var i = s, ex, groups = 0, j, k, e;
    while (i < t.length && isDigit(t[i])) i++;
    if (tokAt(t, i)) return null;
    ex = t.slice(s, i);
    for (;;) {
      j = i;
      if (t[j] === ' ' && t[j + 1] === '/') j++;
      if (t[j] !== '/') break;
      j++;
      if (!tokAt(t, j) && t[j] === ' ' && tokAt(t, j + 1)) j++;
      if (!tokAt(t, j)) break;
      e = partEnd(t, j); ex += '/' + t.slice(j, e); i = e; groups++;
      for (;;) {
        if (t[i] === '-' && tokAt(t, i + 1)) k = i + 1;
        else if (t[i] === '-' && t[i + 1] === ' ' && tokAt(t, i + 2)) k = i + 2;
        else if (t[i] === ' ' && t[i + 1] === '-' && tokAt(t, i + 2)) k = i + 2;
        else break;
        e = partEnd(t, k); ex += '-' + t.slice(k, e); i = e;
      }
    }
    return groups ? { exact: exactForm(ex), end: i } : null;
  }
  function tokenize(t) {
    var out = [], i = 0, pair = false, numEnd = 0, c, start, num, ex, f;
    while (i < t.length) {
      c = cpAt(t, i);
      if (!TOK.test(c)) { if (!isSoft(c)) pair = false; i += c.length; continue; }
      start = i;
      if (isDigit(c) && start >= numEnd) {
        num = scanNumber(t, start);
        if (num) {
          numEnd = num.end;
          out.push({ num: true, exact: num.exact, folded: foldExact(num.exact), start: start, end: num.end });
        }
      }
      i = partEnd(t, i);
      ex = exactForm(t.slice(start, i)); f = foldExact(ex);
      if (f) { out.push({ num: false, exact: ex, folded: f, pair: pair, start: start, end: i }); pair = true; }
    }
    return out;
  }

  /* ---- query parsing (query.rs `parse`) ---- */
  function parse(q) {
    q = q.normalize('NFC');
    var p = { words: [], pairs: [], phrases: [], q: q }, segs = [], quoted = false, segStart = 0, i;
    for (i = 0; i < q.length; i++) {
      if (isQuote(q[i])) { segs.push([segStart, i, quoted]); quoted = !quoted; segStart = i + 1; }
    }
    segs.push([segStart, q.length, quoted]);
    segs.forEach(function (sg) {
      var seg = q.slice(sg[0], sg[1]), first = p.words.length, skip = 0, prev = -1;
      tokenize(seg).forEach(function (ev) {
        var w = { exact: ev.exact, folded: ev.folded, number: ev.num, quoted: sg[2], prefix: false,
          display: seg.slice(ev.start, ev.end), from: sg[0] + ev.start, to: sg[0] + ev.end };
        if (ev.num) { p.words.push(w); skip = ev.end; prev = -1; return; }
        if (ev.start < skip) return;
        var k = p.words.length;
        if (ev.pair && prev >= 0 && prev + 1 === k) p.pairs.push([prev, sg[2]]);
        p.words.push(w);
        prev = k;
      });
      if (sg[2] && p.words.length - first > 1) {
        p.phrases.push({ first: first, text: '"' + seg.trim() + '"', from: sg[0] - 1, to: sg[1] + 1 });
      }
    });
    var last = q.length ? Array.from(q).pop() : '';
    var open = last !== '' && !/\s/.test(last) && !isQuote(last);
    var w = p.words[p.words.length - 1];
    if (w && open && !w.quoted && Array.from(w.folded).length >= 2) w.prefix = true;
    return p;
  }

  /* ---- postings (encode.rs) ---- */
  var TERM = '0123456789ABCDEFGHIJKLMNOPQRSTUV', CONT = 'WXYZabcdefghijklmnopqrstuvwxyz-_';
  var DIG = {};
  for (var d = 0; d < 32; d++) { DIG[TERM[d]] = d; DIG[CONT[d]] = d + 32; }
  function decode(s) {
    var out = [], i = 0, n, v, prev = -1, k, first;
    function read() {
      n = 0;
      for (;;) {
        v = DIG[s[i++]];
        if (v === undefined) throw new Error('bad postings');
        if (v < 32) return n * 32 + v;
        n = n * 32 + (v - 32);
      }
    }
    if (s[0] === '~') {
      i = 1; first = read();
      for (k = 0; i < s.length; k++, i++) {
        v = DIG[s[i]];
        if (v === undefined || v >= 32) throw new Error('bad postings');
        if (v > 0) out.push(first + k, v);
      }
    } else {
      while (i < s.length) { v = read(); prev += Math.floor(v / 32); out.push(prev, v % 32); }
    }
    return out; // flat [doc, impact, doc, impact, ...]
  }
  // A facet's doc set: gaps from the previous id (from -1), numbers as above.
  function decodeSet(s) {
    var out = new Set(), i = 0, n, v, prev = -1;
    while (i < s.length) {
      n = 0;
      for (;;) {
        v = DIG[s[i++]];
        if (v === undefined) throw new Error('bad set');
        if (v < 32) break;
        n = n * 32 + (v - 32);
      }
      prev += n * 32 + v;
      out.add(prev);
    }
    return out;
  }

  /* ---- fetching ---- */
  var cache = {};
  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(new URL(path, base).href).then(function (r) {
        return r.ok ? r.json() : null;
      }).catch(function () { return null; });
    }
    return cache[path];
  }
  function keyFile(k) {
    if (/^[a-z0-9]+$/.test(k)) return k;
    var h = '_';
    new TextEncoder().encode(k).forEach(function (b) { h += (b < 16 ? '0' : '') + b.toString(16); });
    return h;
  }
  function bucket(f, bb) {
    var h = 0x811c9dc5;
    new TextEncoder().encode(f).forEach(function (b) { h = Math.imul(h ^ b, 0x01000193) >>> 0; });
    return h % Math.max(bb, 1);
  }
  function shardKey(m, f) {
    var cps = Array.from(f);
    for (var n = Math.min(cps.length, MAX_KEY); n >= 1; n--) {
      var pre = cps.slice(0, n).join('');
      if (m.keySet.has(pre)) return pre;
    }
    return null;
  }
  function entry(v) {
    if (!Array.isArray(v)) return Promise.resolve(null);
    var list = typeof v[1] === 'number' ? get('p/' + v[1] + '.json') : Promise.resolve(v.slice(1));
    return list.then(function (l) {
      if (!l) return null;
      var vs = [];
      for (var i = 0; i + 1 < l.length; i += 2) vs.push({ exact: l[i], post: decode(l[i + 1]) });
      return { df: v[0], variants: vs };
    });
  }
  function shardOf(m, f) {
    var k = shardKey(m, f);
    return k === null ? Promise.resolve(null) : get('t/' + keyFile(k) + '.json');
  }
  function lookupUni(m, f) {
    return shardOf(m, f).then(function (s) { return s && Object.prototype.hasOwnProperty.call(s, f) ? entry(s[f]) : null; });
  }
  function lookupBi(m, f) {
    return get('b/' + bucket(f, m.bb) + '.json').then(function (s) {
      return s && Object.prototype.hasOwnProperty.call(s, f) ? entry(s[f]) : null;
    });
  }
  function completions(m, f) {
    return shardOf(m, f).then(function (s) {
      if (!s) return [];
      var c = Object.keys(s).filter(function (t) { return t.length > f.length && t.indexOf(f) === 0; });
      c.sort(function (a, b) { return s[b][0] - s[a][0] || (a < b ? -1 : a > b ? 1 : 0); });
      var pick = [], ext = 0;
      for (var i = 0; i < c.length && pick.length < MAX_COMPL; i++) {
        if (typeof s[c[i]][1] === 'number') { if (ext === MAX_EXT_COMPL) continue; ext++; }
        pick.push(s[c[i]]);
      }
      return Promise.all(pick.map(entry)).then(function (es) { return es.filter(Boolean); });
    });
  }
  var manifestP = get('index.json').then(function (m) {
    if (!m) return null;
    m.keySet = new Set(m.keys);
    m.group = new Uint16Array(m.n);
    m.groups.forEach(function (g, gi) { for (var d = g[2]; d < g[3] && d < m.n; d++) m.group[d] = gi; });
    return m;
  });

  /* ---- the query (query.rs `query_filtered`, without the facet filter) ---- */
  function run(p) {
    return manifestP.then(function (m) {
      if (!m) return null;
      var n = m.n, res = { m: m, unmatched: [], docs: [] };
      var wordsP = p.words.map(function (w) {
        return Promise.all([lookupUni(m, w.folded), w.prefix ? completions(m, w.folded) : []]);
      });
      var pairsP = p.pairs.map(function (pr) {
        return lookupBi(m, p.words[pr[0]].folded + ' ' + p.words[pr[0] + 1].folded);
      });
      return Promise.all([Promise.all(wordsP), Promise.all(pairsP)]).then(function (all) {
        var wes = [], idfs = [];
        all[0].forEach(function (r, wi) {
          var es = [], df = 0, w = p.words[wi];
          if (r[0]) { df = r[0].df; es.push([r[0], WORD_F, false]); }
          r[1].forEach(function (e) { df = Math.max(df, e.df); es.push([e, PREFIX_F, true]); });
          if (!es.length) addOnce(res.unmatched, { text: w.display, from: w.from, to: w.to });
          wes.push(es); idfs.push(Math.log(1 + n / Math.max(df, 1)));
        });
        p.pairs.forEach(function (pr, pi) {
          if (pr[1] && !all[1][pi]) {
            for (var k = p.phrases.length - 1; k >= 0; k--) {
              if (p.phrases[k].first <= pr[0]) { addOnce(res.unmatched, p.phrases[k]); break; }
            }
          }
        });
        if (res.unmatched.length) return res;
        var score = new Float64Array(n), hits = new Uint32Array(n), exact = new Uint32Array(n);
        var adj = new Uint32Array(n), req = new Uint32Array(n), best = new Float64Array(n);
        var bestEx = new Uint8Array(n), stamp = new Int32Array(n).fill(-1), touched, nreq = 0;
        wes.forEach(function (es, wi) {
          var w = p.words[wi], marked = w.exact !== w.folded;
          touched = [];
          es.forEach(function (x) {
            x[0].variants.forEach(function (v) {
              var isEx = marked && (x[2] ? v.exact.indexOf(w.exact) === 0 : v.exact === w.exact);
              for (var i = 0; i < v.post.length; i += 2) {
                var d = v.post[i], val = v.post[i + 1] * x[1];
                if (d >= n) continue;
                if (stamp[d] !== wi) { stamp[d] = wi; best[d] = val; bestEx[d] = isEx ? 1 : 0; touched.push(d); }
                else { if (val > best[d]) best[d] = val; if (isEx) bestEx[d] = 1; }
              }
            });
          });
          touched.forEach(function (d) { score[d] += best[d] * idfs[wi]; hits[d]++; exact[d] += bestEx[d]; });
        });
        p.pairs.forEach(function (pr, pi) {
          var e = all[1][pi], tag = p.words.length + pi;
          if (pr[1]) nreq++;
          if (!e) return;
          var pidf = Math.log(1 + n / Math.max(e.df, 1));
          touched = [];
          e.variants.forEach(function (v) {
            for (var i = 0; i < v.post.length; i += 2) {
              var d = v.post[i], val = v.post[i + 1];
              if (d >= n) continue;
              if (stamp[d] !== tag) { stamp[d] = tag; best[d] = val; touched.push(d); }
              else if (val > best[d]) best[d] = val;
            }
          });
          touched.forEach(function (d) { score[d] += PAIR_F * best[d] * pidf; adj[d]++; if (pr[1]) req[d]++; });
        });
        var nw = p.words.length, out = [];
        for (var d = 0; d < n; d++) if (hits[d] === nw && req[d] === nreq) out.push(d);
        out.sort(function (a, b) {
          return exact[b] - exact[a] || adj[b] - adj[a] || score[b] - score[a] || a - b;
        });
        res.docs = out;
        return res;
      });
    });
  }
  function addOnce(list, item) {
    if (!list.some(function (x) { return x.text === item.text; })) list.push(item);
  }

  /* ---- facets ---- */
  var facetData = {}; // topic | unit -> [{slug, name, docs: Set}]
  function facetFile(name) {
    if (!facetData[name]) {
      facetData[name] = get('f/' + (name === 'topic' ? 'topics' : 'units') + '.json').then(function (l) {
        return (l || []).map(function (x) {
          return { slug: x[0], name: x[1], docs: decodeSet(x[2]) };
        });
      });
    }
    return facetData[name];
  }
  function valueOf(m, facet, d, lists) {
    if (facet === 'type') return [m.groups[m.group[d]][0]];
    if (facet === 'year') return [m.groups[m.group[d]][1]];
    return (lists[facet] || []).filter(function (x) { return x.docs.has(d); }).map(function (x) { return x.slug; });
  }
  function passes(m, d, st, lists, except) {
    for (var i = 0; i < FACETS.length; i++) {
      var f = FACETS[i], want = st[f];
      if (!want || f === except) continue;
      if (f === 'type' || f === 'year') {
        if (valueOf(m, f, d)[0] !== want) return false;
      } else {
        var item = (lists[f] || []).find(function (x) { return x.slug === want; });
        if (!item || !item.docs.has(d)) return false;
      }
    }
    return true;
  }

  /* ---- state, URL and rendering ---- */
  window.sangtaoSearch = { parse: parse, run: run, get: get };
  if (!root) return;
  var S = root.dataset;
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var facetsBox = document.getElementById('search-facets');
  var more = document.getElementById('search-more');
  var noJs = document.getElementById('search-no-js');
  if (noJs) noJs.hidden = true;
  var state = readUrl(), seq = 0, shown = PAGE, lazyOpen = { topic: false, unit: false };

  function readUrl() {
    var u = new URLSearchParams(location.search), st = { q: u.get('q') || '' };
    FACETS.forEach(function (f) { st[f] = u.get(f) || ''; });
    return st;
  }
  function href(st) {
    var u = new URLSearchParams();
    if (st.q) u.set('q', st.q);
    FACETS.forEach(function (f) { if (st[f]) u.set(f, st[f]); });
    var s = u.toString();
    return location.pathname + (s ? '?' + s : '');
  }
  function withState(ch) {
    var st = {};
    Object.keys(state).forEach(function (k) { st[k] = state[k]; });
    Object.keys(ch).forEach(function (k) { st[k] = ch[k]; });
    return st;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function say(text) { status.textContent = text; }
  function fmt(s, k, v) { return (s || '').split('{' + k + '}').join(v); }
  function kindLabel(k) { return S['kind' + k.charAt(0).toUpperCase() + k.slice(1)] || k; }
  function dateShort(d) { var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d || ''); return m ? m[3] + '/' + m[2] + '/' + m[1] : ''; }

  // Text with the syllables that match the query in <mark>.
  function highlighted(parent, text, p) {
    var want = new Set(), pre = null, pos = 0;
    p.words.forEach(function (w) { want.add(w.folded); if (w.prefix) pre = w.folded; });
    tokenize(text).forEach(function (t) {
      if (t.start < pos) return;
      var hit = want.has(t.folded) || (!t.num && pre !== null && t.folded.indexOf(pre) === 0);
      if (!hit) return;
      parent.appendChild(document.createTextNode(text.slice(pos, t.start)));
      parent.appendChild(el('mark', null, text.slice(t.start, t.end)));
      pos = t.end;
    });
    parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  function search(push) {
    var my = ++seq, p = parse(state.q), hasFacet = FACETS.some(function (f) { return state[f]; });
    if (input && input.value !== state.q && document.activeElement !== input) input.value = state.q;
    if (push !== undefined) history[push ? 'pushState' : 'replaceState'](null, '', href(state));
    if (!p.words.length && !hasFacet) { list.textContent = ''; facetsBox.textContent = ''; more.textContent = ''; say(''); return; }
    root.setAttribute('aria-busy', 'true');
    say(S.loading || '…');
    var needTopics = !!state.topic || lazyOpen.topic, needUnits = !!state.unit || lazyOpen.unit;
    Promise.all([
      p.words.length ? run(p) : manifestP.then(function (m) {
        if (!m) return null;
        var all = [];
        for (var d = 0; d < m.n; d++) all.push(d);
        return { m: m, unmatched: [], docs: all };
      }),
      needTopics ? facetFile('topic') : null, needUnits ? facetFile('unit') : null,
    ]).then(function (r) {
      if (my !== seq) return;
      var res = r[0], lists = { topic: r[1], unit: r[2] };
      if (!res) { root.removeAttribute('aria-busy'); say(S.noResults); return; }
      var m = res.m, docs = res.docs.filter(function (d) { return passes(m, d, state, lists); });
      renderFacets(m, res.docs, lists);
      if (!docs.length) { renderNone(p, res.unmatched); root.removeAttribute('aria-busy'); return; }
      say(fmt(S.resultsCount, 'n', docs.length));
      renderResults(m, docs, p, my);
    });
  }

  function renderNone(p, unmatched) {
    list.textContent = ''; more.textContent = '';
    say(S.noResults);
    var drop = unmatched.length ? unmatched : (p.words.length > 1 ? p.words.map(function (w) {
      return { text: w.display, from: w.from, to: w.to };
    }) : []);
    drop.forEach(function (u) {
      var q = (p.q.slice(0, u.from) + ' ' + p.q.slice(u.to)).replace(/\s+/g, ' ').trim();
      var li = el('li', 'search-without'), a = el('a', null, fmt(S.withoutWord, 'word', u.text));
      a.href = href(withState({ q: q }));
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function renderResults(m, docs, p, my) {
    var page = docs.slice(0, shown), dm = m.dm || 1;
    Promise.all(page.map(function (d) {
      return get('d/' + Math.floor(d / dm) + '.json').then(function (c) { return c && c[d % dm]; });
    })).then(function (metas) {
      if (my !== seq) return;
      list.textContent = '';
      metas.forEach(function (x) {
        if (!x) return;
        var li = el('li', 'search-result'), meta = el('p', 'search-meta');
        meta.appendChild(el('span', 'search-kind', kindLabel(x.k)));
        if (x.n) meta.appendChild(el('span', 'search-number', x.n));
        if (x.s && x.s.length) meta.appendChild(el('span', 'search-unit', x.s.join(', ')));
        if (x.d) { var t = el('time', null, dateShort(x.d)); t.setAttribute('datetime', x.d); meta.appendChild(t); }
        var h = el('h2', 'search-title'), a = el('a');
        a.href = x.u;
        highlighted(a, x.t, p);
        h.appendChild(a);
        li.appendChild(h);
        li.appendChild(meta);
        if (x.x) { var ex = el('p', 'search-excerpt'); highlighted(ex, x.x, p); li.appendChild(ex); }
        list.appendChild(li);
      });
      more.textContent = '';
      if (docs.length > shown) {
        var b = el('button', 'search-more-button', (shown + 1) + '–' + Math.min(shown + PAGE, docs.length) + ' / ' + docs.length);
        b.type = 'button';
        b.addEventListener('click', function () { shown += PAGE; search(); });
        more.appendChild(b);
      }
      root.removeAttribute('aria-busy');
    });
  }

  function renderFacets(m, docs, lists) {
    facetsBox.textContent = '';
    if (!docs.length) return;
    FACETS.forEach(function (f) {
      var counts = new Map(), names = {};
      if ((f === 'unit' || f === 'topic') && !lists[f]) { facetsBox.appendChild(lazyBox(f, null)); return; }
      docs.forEach(function (d) {
        if (!passes(m, d, state, lists, f)) return;
        valueOf(m, f, d, lists).forEach(function (v) { if (v) counts.set(v, (counts.get(v) || 0) + 1); });
      });
      (lists[f] || []).forEach(function (x) { names[x.slug] = x.name; });
      var vals = Array.from(counts.keys());
      if (f === 'type') vals.sort(function (a, b) { return KINDS.indexOf(a) - KINDS.indexOf(b); });
      else if (f === 'year') vals.sort().reverse();
      else vals.sort(function (a, b) { return counts.get(b) - counts.get(a) || (a < b ? -1 : 1); });
      if (state[f] && !counts.has(state[f])) { vals.unshift(state[f]); counts.set(state[f], 0); }
      if (f === 'unit') vals = vals.slice(0, 30);
      var ul = el('ul');
      vals.forEach(function (v) {
        var label = f === 'type' ? kindLabel(v) : (names[v] || v), on = state[f] === v;
        var a = el('a', null, label + ' (' + counts.get(v) + ')');
        var ch = {}; ch[f] = on ? '' : v;
        a.href = href(withState(ch));
        if (on) a.setAttribute('aria-current', 'true');
        a.addEventListener('click', function (e) { e.preventDefault(); state = withState(ch); shown = PAGE; search(true); });
        var li = el('li'); li.appendChild(a); ul.appendChild(li);
      });
      if (!vals.length) return;
      if (f === 'unit' || f === 'topic') { facetsBox.appendChild(lazyBox(f, ul)); return; }
      var sec = el('section', 'search-facet');
      sec.appendChild(el('h2', null, S['facet' + f.charAt(0).toUpperCase() + f.slice(1)]));
      sec.appendChild(ul);
      facetsBox.appendChild(sec);
    });
  }
  // The topic and unit facets: their data loads when opened (or when such a filter is set).
  function lazyBox(f, ul) {
    var name = f.charAt(0).toUpperCase() + f.slice(1);
    var det = el('details', 'search-facet search-facet-' + f), sum = el('summary', null, S['facet' + name]);
    det.appendChild(sum);
    if (ul) { det.open = true; det.appendChild(ul); }
    det.addEventListener('toggle', function () {
      if (det.open && !ul) { lazyOpen[f] = true; search(); }
      if (!det.open) lazyOpen[f] = false;
    });
    return det;
  }

  var timer = 0;
  if (input) {
    input.value = state.q;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state = withState({ q: input.value }); shown = PAGE; search(false); }, 250);
    });
    var form = input.form;
    if (form) {
      form.addEventListener('submit', function (e) {
        e.preventDefault(); clearTimeout(timer);
        state = withState({ q: input.value }); shown = PAGE; search(true);
      });
    }
  }
  window.addEventListener('popstate', function () { state = readUrl(); shown = PAGE; search(); });
  search();
})();

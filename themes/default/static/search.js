/* Offline search over the site's search/ files. A query word matches anywhere inside a word,
   so `중국` finds 중국의 and 중국은, and `지능` finds 인공지능, and with whitespace between
   its letters, as Korean spacing varies: `인터넷플러스` finds 인터넷 플러스. Large sites ship
   a bigram index (bigram → page ids) so only the needed parts are fetched; small ones are
   scanned whole. Ranking: a page whose title or name equals the query comes first; then title
   and heading matches; then the text, scored like BM25 with matches at the start of a word (a
   noun with its particle, 중국은) counting more than matches inside a compound (인터넷플랫폼),
   and a match with whitespace inside counting half. */
(function () {
  "use strict";
  var body = document.body;
  var metaUrl = body.dataset.searchMeta;
  var dir = metaUrl.slice(0, metaUrl.lastIndexOf("/") + 1);
  var cache = {};
  function getJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
    }
    return cache[url];
  }
  function meta() { return getJSON(metaUrl); }

  // As Rust's char::is_alphanumeric and char::is_whitespace.
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var SPACE = /\p{White_Space}/u;
  function isWordChar(c) { return c !== undefined && WORD.test(c); }
  function norm(s) { return s.normalize("NFC").toLowerCase(); }
  // A title or name compared whole: case, spacing and punctuation aside.
  function squash(s) { return norm(s).replace(/[^\p{L}\p{N}]+/gu, ""); }

  // The same bigrams and shard hash as the index builder (FNV-1a over the 64-bit key): two
  // letters or digits, adjacent or with whitespace between them. A line break ends a block of
  // the text (a list item, a table cell): nothing pairs across it.
  function bigramsOf(text) {
    var out = [], prev = null;
    Array.from(text).forEach(function (c) {
      if (isWordChar(c)) { if (prev !== null) out.push(prev + c); prev = c; }
      else if (!SPACE.test(c) || c === "\n") prev = null;
    });
    return out;
  }
  function shardOf(bigram, n) {
    var cs = Array.from(bigram);
    var key = (BigInt(cs[0].codePointAt(0)) << 32n) | BigInt(cs[1].codePointAt(0));
    var h = 0xcbf29ce484222325n;
    for (var i = 0n; i < 8n; i++) {
      h ^= (key >> (8n * i)) & 0xffn;
      h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
    }
    return Number(h % BigInt(n));
  }

  function shardIndexOf(m, id) {
    var k = 0;
    while (k + 1 < m.doc_shards.length && m.doc_shards[k + 1] <= id) k++;
    return k;
  }
  // Pages by id: [url, title, names, sections[[anchor, title, text]]].
  function loadPages(m, ids) {
    var shards = {};
    ids.forEach(function (id) { shards[shardIndexOf(m, id)] = true; });
    var keys = Object.keys(shards).map(Number);
    return Promise.all(keys.map(function (k) { return getJSON(dir + "docs-" + k + ".json"); })).then(function (lists) {
      var out = {};
      keys.forEach(function (k, i) {
        lists[i].forEach(function (p, j) { out[m.doc_shards[k] + j] = p; });
      });
      return ids.filter(function (id) { return out[id]; }).map(function (id) { return { id: id, page: out[id] }; });
    });
  }
  function allIds(m) { var a = []; for (var i = 0; i < m.pages; i++) a.push(i); return a; }

  function candidateIds(m, tokens) {
    if (!m.index_shards) return Promise.resolve(allIds(m));
    var grams = [];
    for (var t = 0; t < tokens.length; t++) {
      var g = bigramsOf(tokens[t]);
      if (!g.length) return Promise.resolve(allIds(m));
      grams.push(g);
    }
    var needed = {};
    grams.forEach(function (g) { g.forEach(function (b) { needed[shardOf(b, m.index_shards)] = true; }); });
    var keys = Object.keys(needed).map(Number);
    return Promise.all(keys.map(function (k) { return getJSON(dir + "index-" + k + ".json"); })).then(function (parts) {
      var idx = {};
      keys.forEach(function (k, i) { idx[k] = parts[i]; });
      var result = null;
      grams.forEach(function (g) {
        g.forEach(function (b) {
          var deltas = idx[shardOf(b, m.index_shards)][b] || [];
          var set = {};
          var last = 0;
          deltas.forEach(function (d) { last += d; set[last] = true; });
          if (result === null) result = Object.keys(set).map(Number);
          else result = result.filter(function (id) { return set[id]; });
        });
      });
      return (result || []).sort(function (a, b) { return a - b; });
    });
  }

  // A query word as a pattern that also matches with whitespace between two of its letters,
  // but not across a line break (the end of a block). Words of two characters match only as
  // typed: 국제 is not 중국 제조.
  function matcher(t) {
    var chars = Array.from(t), src = "", spaced = chars.length >= 3;
    chars.forEach(function (c, i) {
      if (spaced && i && isWordChar(chars[i - 1]) && isWordChar(c)) src += "[^\\S\\n]*";
      src += c.replace(/[\\^$.*+?()[\]{}|\/]/g, "\\$&");
    });
    return { t: t, re: new RegExp(src, "gu") };
  }
  // Where `m` first matches in `hay` from `from`: [index, length], or null.
  function find(hay, m, from) {
    m.re.lastIndex = from || 0;
    var x = m.re.exec(hay);
    return x && [x.index, x[0].length];
  }
  function has(hay, m) { return find(hay, m) !== null; }

  // Where `m` matches in `hay`, each with its weight: 1 at the start of a word (plus 0.25 when it
  // is the whole word), 0.75 inside a word; half that with whitespace inside.
  function occurrences(hay, m) {
    var out = [];
    var f = find(hay, m);
    while (f && out.length < 50) {
      var i = f[0], len = f[1];
      var start = !isWordChar(hay[i - 1]);
      var whole = start && !isWordChar(hay[i + len]);
      var w = whole ? 1.25 : start ? 1 : 0.75;
      out.push({ at: i, len: len, w: len === m.t.length ? w : w / 2 });
      f = find(hay, m, i + len);
    }
    return out;
  }

  var K1 = 1.2, B = 0.5;

  // Every (page, section) that contains all the query words, scored.
  function rank(entries, query, matchers) {
    var whole = squash(query);
    var sections = [];
    entries.forEach(function (e) {
      var p = e.page;
      var title = norm(p[1]);
      var names = p[2].map(norm);
      var secs = p[3].map(function (s) { return { anchor: s[0], title: s[1], head: norm(s[1]), text: norm(s[2]), raw: s[2] }; });
      var inPage = matchers.every(function (m) {
        return has(title, m) || names.some(function (n) { return has(n, m); }) ||
          secs.some(function (s) { return has(s.head, m) || has(s.text, m); });
      });
      if (!inPage) return;
      var pageScore = 0;
      if (squash(p[1]) === whole || names.some(function (n) { return squash(n) === whole; })) pageScore += 1000;
      matchers.forEach(function (m) {
        var ti = find(title, m);
        if (ti) pageScore += isWordChar(title[ti[0] - 1]) ? 30 : 50;
        if (names.some(function (n) { return has(n, m); })) pageScore += 30;
      });
      secs.forEach(function (s, k) {
        s.occ = matchers.map(function (m) { return occurrences(s.text, m); });
        s.headHits = matchers.filter(function (m) { return has(s.head, m); }).length;
        if (s.headHits || s.occ.some(function (o) { return o.length; }) || (k === 0 && pageScore)) {
          sections.push({ entry: e, page: p, s: s, pageScore: pageScore });
        }
      });
    });
    // BM25 over sections: idf from how many sections hold each word, length against the mean.
    var n = Math.max(sections.length, 1);
    var avg = sections.reduce(function (a, x) { return a + x.s.text.length; }, 0) / n || 1;
    var df = matchers.map(function (_, i) { return sections.filter(function (x) { return x.s.occ[i].length; }).length; });
    var out = sections.map(function (x) {
      var s = x.s;
      var score = x.pageScore + s.headHits * 25;
      var norm_ = K1 * (1 - B + B * s.text.length / avg);
      var first = -1, firstLen = 0;
      matchers.forEach(function (_, i) {
        var tf = s.occ[i].reduce(function (a, o) { return a + o.w; }, 0);
        if (!tf) return;
        var idf = Math.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5));
        score += 20 * idf * (tf * (K1 + 1)) / (tf + norm_);
        var best = s.occ[i].reduce(function (a, o) { return o.w > a.w ? o : a; }, s.occ[i][0]);
        if (first < 0) { first = best.at; firstLen = best.len; }
      });
      return {
        url: x.page[0] + (s.anchor ? "#" + s.anchor : ""),
        title: x.page[1], section: s.title, text: s.raw, at: first, len: firstLen, score: score, id: x.entry.id,
      };
    });
    out.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return out;
  }

  function search(query) {
    var tokens = norm(query).split(/\s+/).filter(Boolean);
    if (!tokens.length) return Promise.resolve([]);
    return meta().then(function (m) {
      return candidateIds(m, tokens).then(function (ids) { return loadPages(m, ids); });
    }).then(function (entries) {
      // At most two sections per page, twenty results in all.
      var perPage = {}, out = [];
      rank(entries, query, tokens.map(matcher)).forEach(function (r) {
        perPage[r.id] = (perPage[r.id] || 0) + 1;
        if (perPage[r.id] <= 2 && out.length < 20) out.push(r);
      });
      out.tokens = tokens;
      return out;
    });
  }

  // Where the last space or line break at or before `from` is, or -1.
  function lastSpace(text, from) { return Math.max(text.lastIndexOf(" ", from), text.lastIndexOf("\n", from)); }

  // An excerpt around the best match, cut at spaces, with every query word marked.
  function excerptNode(r, tokens) {
    var matchers = tokens.map(matcher);
    var text = r.text;
    var at = r.at < 0 ? 0 : r.at;
    var start = r.at < 0 ? 0 : Math.max(0, at - 40);
    if (start > 0) { var sp = lastSpace(text, at - 20); if (sp > start - 15 && sp >= 0) start = sp + 1; }
    var end = Math.min(text.length, at + 100);
    if (end < text.length) { var e2 = text.slice(end).search(/\s/); if (e2 >= 0 && e2 < 15) end += e2; }
    var piece = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
    var p = document.createElement("p");
    p.className = "excerpt";
    var lower = norm(piece);
    var i = 0;
    while (i < piece.length) {
      var best = -1, bestLen = 0;
      matchers.forEach(function (m) {
        var f = find(lower, m, i);
        if (f && (best < 0 || f[0] < best)) { best = f[0]; bestLen = f[1]; }
      });
      if (best < 0) { p.appendChild(document.createTextNode(piece.slice(i))); break; }
      p.appendChild(document.createTextNode(piece.slice(i, best)));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(best, best + bestLen);
      p.appendChild(mark);
      i = best + bestLen;
    }
    return p;
  }

  function show(container, results, query) {
    container.textContent = "";
    var status = document.createElement("p");
    status.className = "search-status";
    status.textContent = results.length ? body.dataset.searchResults.replace("{n}", results.length) : body.dataset.searchNone;
    container.appendChild(status);
    if (results.length) {
      var ol = document.createElement("ol");
      ol.className = "search-result-list";
      results.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = r.url;
        var t = document.createElement("span");
        t.className = "result-title";
        t.textContent = r.title;
        a.appendChild(t);
        if (r.section) {
          var s = document.createElement("span");
          s.className = "result-section";
          s.textContent = " › " + r.section;
          a.appendChild(s);
        }
        li.appendChild(a);
        li.appendChild(excerptNode(r, results.tokens));
        ol.appendChild(li);
      });
      container.appendChild(ol);
    }
    container.dataset.query = query;
  }

  function debounce(f, ms) {
    var t = null;
    return function () { clearTimeout(t); var args = arguments; t = setTimeout(function () { f.apply(null, args); }, ms); };
  }

  function run(input, container) {
    var q = input.value.trim();
    if (!q) { container.hidden = true; container.textContent = ""; delete container.dataset.query; return Promise.resolve(); }
    container.hidden = false;
    return search(q).then(function (results) {
      if (input.value.trim() === q) show(container, results, q);
    }).catch(function (e) {
      container.textContent = String(e);
    });
  }

  window.ReportSearch = {
    search: search,
    // For the tests, which check these against the index builder's files.
    bigrams: function (text) { return bigramsOf(norm(text)); },
    shard: shardOf,
    attachBox: function (input, panel) {
      if (!input || !panel || input.dataset.attached) return;
      input.dataset.attached = "1";
      var update = debounce(function () { run(input, panel); }, 120);
      input.addEventListener("input", update);
      input.addEventListener("keydown", function (e) {
        if (e.key === "Escape") { panel.hidden = true; input.blur(); }
        var first = panel.querySelector("a");
        if (e.key === "ArrowDown" && first && !panel.hidden) { e.preventDefault(); first.focus(); }
      });
      panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { panel.hidden = true; input.focus(); } });
      document.addEventListener("click", function (e) {
        if (!panel.contains(e.target) && !input.form.contains(e.target)) panel.hidden = true;
      });
      input.addEventListener("click", function () { if (panel.dataset.query && input.value.trim()) panel.hidden = false; });
      if (input.value.trim()) run(input, panel);
    },
    attachPage: function (input, container) {
      if (!input || !container) return;
      var q = new URLSearchParams(location.search).get("q") || "";
      input.value = q;
      var update = debounce(function () { run(input, container); }, 120);
      input.addEventListener("input", update);
      if (q) run(input, container);
    },
  };
})();

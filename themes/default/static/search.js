/* Offline search over the site's search/ files. A query word matches anywhere inside a word,
   so `중국` finds 중국의 and 중국은, and `지능` finds 인공지능. Large sites ship a bigram
   index (bigram → page ids) so only the needed parts are fetched; small ones are scanned whole. */
(function () {
  "use strict";
  var body = document.body;
  var metaUrl = body.dataset.searchMeta;
  var dir = metaUrl.slice(0, metaUrl.lastIndexOf("/") + 1);
  var strings = {
    none: document.documentElement.lang === "ko" ? "검색 결과가 없습니다." : "No results.",
  };
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

  function isWordChar(c) { return /[\p{L}\p{N}]/u.test(c); }
  function norm(s) { return s.normalize("NFC").toLowerCase(); }

  // The same bigrams and shard hash as the index builder (FNV-1a over the 64-bit key).
  function bigramsOf(token) {
    var out = [];
    var chars = Array.from(token);
    for (var i = 0; i + 1 < chars.length; i++) {
      if (isWordChar(chars[i]) && isWordChar(chars[i + 1])) out.push(chars[i] + chars[i + 1]);
    }
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
  // Pages by id: [url, title, keywords, sections[[anchor, title, text]]].
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

  function occurrences(hay, needle) {
    var out = [];
    var i = hay.indexOf(needle);
    while (i >= 0 && out.length < 50) { out.push(i); i = hay.indexOf(needle, i + needle.length); }
    return out;
  }

  // Scores one section of a page for all tokens; null if a token is missing from the page.
  function scorePage(entry, tokens) {
    var p = entry.page;
    var title = norm(p[1]), keywords = norm(p[2]);
    var results = [];
    var pageHasAll = tokens.every(function (t) {
      if (title.indexOf(t) >= 0 || keywords.indexOf(t) >= 0) return true;
      return p[3].some(function (s) { return norm(s[1]).indexOf(t) >= 0 || norm(s[2]).indexOf(t) >= 0; });
    });
    if (!pageHasAll) return results;
    var pageScore = 0;
    tokens.forEach(function (t) {
      if (title === t) pageScore += 200;
      else if (title.indexOf(t) >= 0) pageScore += 100;
      if (keywords.split(/\s+/).indexOf(t) >= 0) pageScore += 120;
      else if (keywords.indexOf(t) >= 0) pageScore += 60;
    });
    p[3].forEach(function (s) {
      var stitle = norm(s[1]), text = norm(s[2]);
      var score = pageScore, first = -1, firstLen = 0, matched = 0;
      tokens.forEach(function (t) {
        var inTitle = stitle.indexOf(t) >= 0;
        var occ = occurrences(text, t);
        if (inTitle || occ.length) matched++;
        if (inTitle) score += 40;
        score += Math.min(occ.length, 10) * 3;
        occ.slice(0, 10).forEach(function (i) {
          var before = i === 0 ? " " : text[i - 1];
          var after = text[i + t.length] || " ";
          if (!isWordChar(before)) score += 8;
          if (!isWordChar(before) && !isWordChar(after)) score += 12;
        });
        if (occ.length && first < 0) { first = occ[0]; firstLen = t.length; }
      });
      if (matched === 0 && pageScore === 0) return;
      results.push({ url: p[0] + (s[0] ? "#" + s[0] : ""), title: p[1], section: s[1], text: s[2], at: first, len: firstLen, score: score + matched * 20, id: entry.id });
    });
    if (!results.length) results.push({ url: p[0], title: p[1], section: "", text: (p[3][0] || ["", "", ""])[2], at: -1, len: 0, score: pageScore, id: entry.id });
    return results;
  }

  function search(query) {
    var tokens = norm(query).split(/\s+/).filter(Boolean);
    if (!tokens.length) return Promise.resolve([]);
    return meta().then(function (m) {
      return candidateIds(m, tokens).then(function (ids) { return loadPages(m, ids); });
    }).then(function (entries) {
      var all = [];
      entries.forEach(function (e) { all = all.concat(scorePage(e, tokens)); });
      all.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      // At most two sections per page, twenty results in all.
      var perPage = {}, out = [];
      all.forEach(function (r) {
        perPage[r.id] = (perPage[r.id] || 0) + 1;
        if (perPage[r.id] <= 2 && out.length < 20) out.push(r);
      });
      out.tokens = tokens;
      return out;
    });
  }

  // An excerpt around the first match, with every query word marked.
  function excerptNode(r, tokens) {
    var text = r.text;
    var start = r.at < 0 ? 0 : Math.max(0, r.at - 30);
    var end = Math.min(text.length, (r.at < 0 ? 0 : r.at) + 90);
    var piece = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
    var p = document.createElement("p");
    p.className = "excerpt";
    var lower = norm(piece);
    var i = 0;
    while (i < piece.length) {
      var best = -1, bestLen = 0;
      tokens.forEach(function (t) {
        var j = lower.indexOf(t, i);
        if (j >= 0 && (best < 0 || j < best)) { best = j; bestLen = t.length; }
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
    if (!results.length) {
      var none = document.createElement("p");
      none.className = "empty";
      none.textContent = strings.none;
      container.appendChild(none);
      return;
    }
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
    container.setAttribute("data-query", query);
  }

  function debounce(f, ms) {
    var t = null;
    return function () { clearTimeout(t); var args = arguments; t = setTimeout(function () { f.apply(null, args); }, ms); };
  }

  function run(input, container) {
    var q = input.value.trim();
    if (!q) { container.hidden = true; container.textContent = ""; return Promise.resolve(); }
    container.hidden = false;
    return search(q).then(function (results) {
      if (input.value.trim() === q) show(container, results, q);
    }).catch(function (e) {
      container.textContent = String(e);
    });
  }

  window.ReportSearch = {
    search: search,
    attachBox: function (input, panel) {
      if (!input || !panel || input.dataset.attached) return;
      input.dataset.attached = "1";
      panel.setAttribute("aria-live", "polite");
      var update = debounce(function () { run(input, panel); }, 120);
      input.addEventListener("input", update);
      input.addEventListener("keydown", function (e) { if (e.key === "Escape") { panel.hidden = true; input.blur(); } });
      document.addEventListener("click", function (e) { if (!panel.contains(e.target) && e.target !== input) panel.hidden = true; });
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

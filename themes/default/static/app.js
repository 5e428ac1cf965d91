/* Progressive enhancements: theme toggle, sidebar on small screens, print button, and the
   search box, whose code and index load only when the reader starts searching. */
(function () {
  "use strict";
  var root = document.documentElement;
  var body = document.body;

  // Theme toggle: a pressed "dark" button; the choice is remembered, and without a choice the
  // system setting applies.
  var toggle = document.querySelector(".theme-toggle");
  function effectiveTheme() {
    var t = root.getAttribute("data-theme");
    if (t) return t;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  // The browser's own bar follows the page: both theme-color entries take the chosen background.
  var themeColors = document.querySelectorAll('meta[name="theme-color"]');
  var original = Array.prototype.map.call(themeColors, function (m) { return m.content; });
  function showTheme() {
    toggle.setAttribute("aria-pressed", effectiveTheme() === "dark" ? "true" : "false");
    var chosen = root.getAttribute("data-theme");
    Array.prototype.forEach.call(themeColors, function (m, i) {
      m.content = chosen ? getComputedStyle(document.body).backgroundColor : original[i];
    });
  }
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var next = effectiveTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("reportgen-theme", next); } catch (e) { /* not persisted */ }
      showTheme();
    });
    showTheme();
    if (window.matchMedia) window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", showTheme);
  }

  // The contents sidebar is closed in the page (so phones show the text first); wide screens
  // show it beside the text (CSS), and opening it there keeps older browsers in step.
  var sidebar = document.querySelector("details.sidebar");
  if (sidebar && window.matchMedia && window.matchMedia("(min-width: 64rem)").matches) sidebar.open = true;

  var printButton = document.querySelector(".print-button");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  // Search: load search.js on first use.
  var loading = null;
  function loadSearch() {
    if (window.ReportSearch) return Promise.resolve(window.ReportSearch);
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = body.dataset.searchJs;
      s.onload = function () { resolve(window.ReportSearch); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
    return loading;
  }
  if (!body.dataset.searchMeta) return;
  var input = document.getElementById("site-search");
  if (input) {
    var start = function () { loadSearch().then(function (rs) { rs.attachBox(input, document.getElementById("search-panel")); }); };
    input.addEventListener("focus", start, { once: true });
    input.addEventListener("input", start, { once: true });
  }
  var pageResults = document.getElementById("search-page-results");
  if (pageResults) {
    loadSearch().then(function (rs) { rs.attachPage(document.getElementById("search-page-input"), pageResults); });
  }
})();

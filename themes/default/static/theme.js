/* Applies the reader's saved light/dark choice before the page paints (no flash). */
(function () {
  try {
    var t = localStorage.getItem("reportgen-theme");
    if (t === "light" || t === "dark") document.documentElement.setAttribute("data-theme", t);
  } catch (e) { /* storage unavailable: follow the system setting */ }
})();

/* Runs before the page paints: marks that scripts run (so controls that need them take their
   place at once, without a layout shift) and applies the reader's saved light/dark choice. */
(function () {
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var t = localStorage.getItem("reportgen-theme");
    if (t === "light" || t === "dark") root.setAttribute("data-theme", t);
  } catch (e) { /* storage unavailable: follow the system setting */ }
})();

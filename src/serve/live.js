// reportgen serve: reloads the page when a rebuild succeeded and shows the located error of a
// failed one over the last good page. Only `reportgen serve` adds this script to pages.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = me ? me.getAttribute("data-build") : null;
  var box = null;

  function hide() {
    if (box) {
      box.remove();
      box = null;
    }
  }

  function show(text) {
    if (!box) {
      box = document.createElement("div");
      box.id = "reportgen-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;" +
        "background:rgba(24,24,27,.96);color:#fafafa;font:14px/1.6 ui-monospace,Menlo,Consolas,monospace;" +
        "white-space:pre-wrap;cursor:pointer";
      box.title = "click to hide";
      box.addEventListener("click", hide);
      document.body.appendChild(box);
    }
    // textContent, never innerHTML: the message quotes the editor's text.
    var head = build === "none" ? "the site does not build yet" : "the last change does not build; this page is the last good version";
    box.textContent = "reportgen: " + head + ".\n\n" + text;
  }

  var events = new EventSource("/__reportgen/events");
  events.addEventListener("reload", function (e) {
    if (e.data !== build) {
      location.reload();
    } else {
      hide();
    }
  });
  events.addEventListener("build-error", function (e) {
    show(e.data);
  });
})();

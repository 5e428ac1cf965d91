// reportgen serve: reloads the page when a rebuild succeeded, shows the located error of a
// failed one over the last good page, and what the check of the served build found in a small
// panel in a corner. Only `reportgen serve` adds this script to pages.
//
// Browsers allow about six connections per host, so one tab (the holder of a Web Lock) keeps
// the event stream open and passes its events to the other tabs over a BroadcastChannel.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = me ? me.getAttribute("data-build") : null;
  var box = null;
  var panel = null;

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
    var head = build === "none" ? "the site does not build yet" : "the last change does not build; this page is the last good version";
    // textContent, never innerHTML: the message quotes the editor's text.
    box.textContent = "reportgen: " + head + ".\n\n" + text;
  }

  // The check's findings: its summary line, which opens the list below it; × closes the panel
  // until the next check finds something.
  function findings(text) {
    if (panel) {
      panel.remove();
      panel = null;
    }
    var nl = text.indexOf("\n");
    if (nl < 0) {
      return; // nothing found: only the summary line
    }
    panel = document.createElement("details");
    panel.id = "reportgen-check";
    panel.style.cssText =
      "position:fixed;right:.75rem;bottom:.75rem;z-index:2147483646;max-width:min(44rem,calc(100vw - 1.5rem));" +
      "max-height:50vh;overflow:auto;padding:.4rem .75rem;border-radius:.4rem;box-shadow:0 2px 10px rgba(0,0,0,.35);" +
      "background:#27272a;color:#fafafa;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace";
    var head = document.createElement("summary");
    head.style.cssText = "cursor:pointer;color:#fde047";
    head.textContent = "reportgen " + text.slice(0, nl);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "close");
    close.style.cssText = "margin-left:.75rem;border:0;background:none;color:inherit;font:inherit;cursor:pointer";
    close.addEventListener("click", function (e) {
      e.preventDefault();
      panel.remove();
      panel = null;
    });
    head.appendChild(close);
    var list = document.createElement("pre");
    list.style.cssText = "margin:.5rem 0 0;white-space:pre-wrap";
    // textContent, never innerHTML: the findings quote the editor's text.
    list.textContent = text.slice(nl).trim();
    panel.appendChild(head);
    panel.appendChild(list);
    document.body.appendChild(panel);
  }

  function handle(kind, data) {
    if (kind === "reload") {
      if (data !== build) {
        location.reload();
      } else {
        hide();
      }
    } else if (kind === "build-error") {
      show(data);
    } else if (kind === "check") {
      findings(data);
    }
  }

  var channel = "BroadcastChannel" in window ? new BroadcastChannel("reportgen-live") : null;

  function listen(onEvent) {
    var events = new EventSource("/__reportgen/events");
    ["reload", "check", "build-error"].forEach(function (kind) {
      events.addEventListener(kind, function (e) {
        onEvent(kind, e.data);
      });
    });
  }

  if (channel && navigator.locks) {
    var last = []; // the leader's latest events, for tabs opened since
    channel.onmessage = function (e) {
      if (e.data.ask) {
        last.forEach(function (m) {
          channel.postMessage(m);
        });
      } else {
        handle(e.data.kind, e.data.data);
      }
    };
    channel.postMessage({ ask: true });
    // Held until this tab goes away; then the next waiting tab takes over the stream.
    navigator.locks.request("reportgen-live", function () {
      return new Promise(function () {
        listen(function (kind, data) {
          var m = { kind: kind, data: data };
          last = kind === "reload" ? [m] : last.concat([m]);
          channel.postMessage(m);
          handle(kind, data);
        });
      });
    });
  } else {
    listen(handle);
  }
})();

// Small enhancements on top of htmx 4. Every page works without this file.
// Loaded with `defer` after htmx; no inline scripts (CSP script-src 'self').
(function () {
  "use strict";

  // CSRF: Litestar checks the `x-csrftoken` header on unsafe requests. base.html puts the token
  // in <meta name="csrf-token">; htmx 4 fires `htmx:config:request` with detail.ctx.request.
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:config:request", function (evt) {
    var request = evt.detail && evt.detail.ctx && evt.detail.ctx.request;
    if (!request) return;
    var method = String(request.method || "GET").toUpperCase();
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return;
    var token = csrfToken();
    if (token) request.headers["x-csrftoken"] = token;
  });

  // Accessibility: when a swap replaced the element that had focus, focus lands on <body>.
  // Move it to the start of the new content instead (htmx already honours [autofocus]).
  document.addEventListener("htmx:after:swap", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    var target = ctx && ctx.target;
    if (!target || !target.isConnected) return;
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    var landing = target.querySelector("[data-focus-after-swap], h1, h2, h3") || target;
    if (!landing.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(landing.tagName)) {
      landing.setAttribute("tabindex", "-1");
    }
    landing.focus({ preventScroll: false });
  });

  // 5xx responses are not swapped (see htmx-config in base.html); tell the user in the live
  // region instead of failing silently. The text comes translated from the template.
  function announce(kind) {
    var region = document.getElementById("live-status");
    if (!region) return;
    var text = region.getAttribute("data-" + kind + "-message");
    if (text) region.textContent = text;
  }

  document.addEventListener("htmx:response:error", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    var status = ctx && ctx.response ? ctx.response.status : 0;
    if (status >= 500) announce("server-error");
  });

  document.addEventListener("htmx:error", function () {
    announce("network-error");
  });

  document.addEventListener("htmx:before:request", function () {
    var region = document.getElementById("live-status");
    if (region) region.textContent = "";
  });
})();

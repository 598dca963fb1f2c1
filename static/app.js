// vodboard page behaviour. Loaded with `defer` after htmx; no inline
// handlers, no eval (CSP: script-src 'self').
(function () {
  'use strict';

  // ---- CSRF: every htmx request carries the token from <meta name="csrf-token">.
  document.addEventListener('htmx:configRequest', function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      e.detail.headers['X-CSRF-Token'] = meta.content;
    }
  });

  // ---- Screen-reader announcements go to the layout's #live region.
  function announce(text) {
    var live = document.getElementById('live');
    if (!live) return;
    live.textContent = '';
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  // ---- Copy buttons: <button data-copy="text"> or data-copy="location".
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-HTTP fallback (clipboard API needs a secure context).
    return new Promise(function (resolve, reject) {
      var ta = document.createElement('textarea');
      ta.value = text;
      ta.setAttribute('readonly', '');
      ta.className = 'offscreen';
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (err) { ok = false; }
      ta.remove();
      if (ok) { resolve(); } else { reject(new Error('copy failed')); }
    });
  }

  function copyFeedback(btn, ok) {
    var label = btn.querySelector('.copy-label');
    if (label && !btn.dataset.label) btn.dataset.label = label.textContent;
    btn.classList.remove('is-copied', 'is-copy-failed');
    btn.classList.add(ok ? 'is-copied' : 'is-copy-failed');
    if (label) label.textContent = ok ? 'Copied' : 'Copy failed';
    announce(ok ? 'Copied to clipboard' : 'Could not copy to the clipboard');
    window.clearTimeout(btn._copyTimer);
    btn._copyTimer = window.setTimeout(function () {
      btn.classList.remove('is-copied', 'is-copy-failed');
      if (label) label.textContent = btn.dataset.label;
    }, 1600);
  }

  document.addEventListener('click', function (e) {
    var btn = e.target.closest('button[data-copy]');
    if (btn) {
      e.preventDefault();
      var text = btn.getAttribute('data-copy');
      if (text === 'location') text = window.location.href;
      if (!text) return;
      copyText(text).then(
        function () { copyFeedback(btn, true); },
        function () { copyFeedback(btn, false); }
      );
      return;
    }
    var dismiss = e.target.closest('button[data-dismiss]');
    if (dismiss) {
      var alertBox = dismiss.closest('.alert');
      if (alertBox) alertBox.remove();
    }
  });

  // ---- Thumbnails. Signed URLs expire; when an <img data-resign-url> fails,
  // fetch a freshly signed copy of its box (GET /images/<id>/thumb) and swap
  // it in. At most once per element, and once a minute per URL, so an image
  // that is really gone cannot loop.
  var resigned = new WeakSet();
  var lastResign = new Map();
  var RESIGN_INTERVAL_MS = 60000;

  function isLocalPath(u) {
    return typeof u === 'string' && u.charAt(0) === '/' && u.charAt(1) !== '/' && u.charAt(1) !== '\\';
  }

  function markBroken(box) {
    if (!box) return;
    box.classList.remove('is-resigning');
    box.classList.add('is-broken');
  }

  function onThumbError(img) {
    var box = img.closest('[data-thumb]');
    var url = img.getAttribute('data-resign-url');
    var last = lastResign.get(url) || 0;
    if (!box || !box.id || !url || !isLocalPath(url) || !window.htmx ||
        resigned.has(img) || Date.now() - last < RESIGN_INTERVAL_MS) {
      markBroken(box);
      return;
    }
    resigned.add(img);
    lastResign.set(url, Date.now());
    box.classList.add('is-resigning');
    window.htmx.ajax('GET', url, { source: box, target: box, swap: 'outerHTML' }).then(function () {
      // Still in the page: the request failed or was not swapped.
      if (box.isConnected) markBroken(box);
    }, function () { markBroken(box); });
  }

  // error does not bubble: listen in the capture phase.
  document.addEventListener('error', function (e) {
    var t = e.target;
    if (t instanceof HTMLImageElement && t.closest('[data-thumb]')) onThumbError(t);
  }, true);

  // A re-sign answered with an error must not replace the thumbnail box.
  document.addEventListener('htmx:beforeSwap', function (e) {
    var elt = e.detail.requestConfig && e.detail.requestConfig.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute('data-thumb') && e.detail.xhr.status >= 300) {
      e.detail.shouldSwap = false;
    }
  });

  // Images that failed before this script ran.
  function checkFailedThumbs(root) {
    root.querySelectorAll('[data-thumb] img').forEach(function (img) {
      if (img.complete && img.naturalWidth === 0 && img.getAttribute('src')) onThumbError(img);
    });
  }

  // ---- Relative times: <time datetime="..." data-relative> (or
  // data-relative="expiry") shows "3 days ago" / "in 59 minutes".
  var rtf = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat('en', { numeric: 'always' }) : null;
  // Each unit is used while its rounded count stays below the next unit's
  // size (views.FormatRelative does the same on the server).
  var UNITS = [
    ['minute', 60, 60], ['hour', 3600, 24], ['day', 86400, 7],
    ['week', 7 * 86400, 5], ['month', 30 * 86400, 12], ['year', 365 * 86400, 0]
  ];

  function relativeText(then, now) {
    var secs = (then - now) / 1000;
    var abs = Math.abs(secs);
    if (abs < 45) return 'just now';
    for (var i = 0; i < UNITS.length; i++) {
      var n = Math.round(abs / UNITS[i][1]);
      if (UNITS[i][2] && n >= UNITS[i][2]) continue;
      if (secs < 0) n = -n;
      if (rtf) return rtf.format(n, UNITS[i][0]);
      var unit = UNITS[i][0] + (Math.abs(n) === 1 ? '' : 's');
      return n < 0 ? (-n) + ' ' + unit + ' ago' : 'in ' + n + ' ' + unit;
    }
    return '';
  }

  function refreshTimes(root) {
    var now = Date.now();
    root.querySelectorAll('time[data-relative]').forEach(function (el) {
      var then = Date.parse(el.getAttribute('datetime'));
      if (isNaN(then)) return;
      var text = relativeText(then, now);
      if (el.getAttribute('data-relative') === 'expiry') {
        text = then <= now ? 'expired ' + text : text;
        el.classList.toggle('is-expired', then <= now);
      }
      el.textContent = text;
    });
  }
  window.setInterval(function () { refreshTimes(document); }, 30000);

  // ---- ID counters under lookup textareas: <output data-count-for="id">.
  function splitIDs(text) {
    return text.split(/[\s,;]+/).filter(function (s) { return s !== ''; });
  }
  function updateCount(ta) {
    var out = document.querySelector('[data-count-for="' + ta.id + '"]');
    if (!out) return;
    var n = splitIDs(ta.value).length;
    out.textContent = n === 0 ? '' : n + (n === 1 ? ' ID' : ' IDs');
  }
  document.addEventListener('input', function (e) {
    if (e.target.matches && e.target.matches('textarea[data-ids]')) updateCount(e.target);
  });

  // Ctrl/Cmd+Enter submits a lookup form from its textarea.
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    var ta = e.target.closest && e.target.closest('textarea[data-ids]');
    if (ta && ta.form) {
      e.preventDefault();
      ta.form.requestSubmit();
    }
  });

  // ---- After results arrive, move focus to their heading for keyboard and
  // screen-reader users.
  document.addEventListener('htmx:afterSwap', function (e) {
    if (e.detail.target && e.detail.target.id === 'results') {
      var h = e.detail.target.querySelector('[data-focus]');
      if (h) h.focus({ preventScroll: false });
    }
  });

  // ---- Network failures: htmx swaps nothing, so say so in the target.
  function networkError(e) {
    var target = e.detail.target || (e.detail.requestConfig && e.detail.requestConfig.target);
    if (!target || (target.hasAttribute && target.hasAttribute('data-thumb'))) return;
    var box = document.createElement('div');
    box.className = 'alert alert-error';
    box.setAttribute('role', 'alert');
    box.setAttribute('data-testid', 'error');
    var p = document.createElement('p');
    p.className = 'alert-title';
    p.textContent = 'vodboard could not be reached';
    var q = document.createElement('p');
    q.textContent = 'Check your connection and try again. Nothing was changed.';
    box.appendChild(p);
    box.appendChild(q);
    target.replaceChildren(box);
  }
  document.addEventListener('htmx:sendError', networkError);
  document.addEventListener('htmx:timeout', networkError);

  // ---- Initialise new content (the whole body on load, then each swap).
  function init(root) {
    if (!root || !root.querySelectorAll) return;
    refreshTimes(root);
    checkFailedThumbs(root);
    root.querySelectorAll('textarea[data-ids]').forEach(updateCount);
  }
  if (window.htmx) {
    window.htmx.onLoad(init);
  } else {
    document.addEventListener('DOMContentLoaded', function () { init(document.body); });
  }
})();

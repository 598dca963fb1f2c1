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
  // fetch a freshly signed copy of its box from that URL (GET
  // /images/<id>/thumb) and swap it in, with no reload.
  //
  // A fresh URL can expire again before it loads: a busy browser queues image
  // requests behind its per-host connection limit, a busy server answers
  // late, a request can be in flight when the URL expires. So a thumbnail
  // gets up to RESIGN_DELAYS_MS.length re-signs in a row, each after a longer
  // pause; the count travels with the box from swap to swap (data-resigns)
  // and a box rendered afresh starts at zero. An image that is really gone
  // cannot loop: a re-sign answered 4xx ends it at once, and after the last
  // re-sign the box is marked broken and left alone.
  //
  // A light thumbnail (/thumb/..., made by vodboard) carries the signed
  // original it stands for in data-fallback-src: when vodboard cannot make
  // it (busy, or a format it cannot read), the box shows the original
  // instead, and only if that fails too is the box re-signed.
  var RESIGN_DELAYS_MS = [0, 1000, 2000];

  function isLocalPath(u) {
    return typeof u === 'string' && u.charAt(0) === '/' && u.charAt(1) !== '/' && u.charAt(1) !== '\\';
  }

  function markBroken(box) {
    if (!box) return;
    box.classList.remove('is-resigning');
    box.classList.add('is-broken');
  }

  function resignCount(box) {
    var n = parseInt(box.getAttribute('data-resigns') || '0', 10);
    return n > 0 ? n : 0;
  }

  // scheduleResign asks for the next re-sign of box, or gives up.
  function scheduleResign(box, url) {
    var n = resignCount(box);
    if (n >= RESIGN_DELAYS_MS.length) {
      markBroken(box);
      return;
    }
    box.setAttribute('data-resigns', String(n + 1));
    box.classList.add('is-resigning');
    window.setTimeout(function () { resign(box, url); }, RESIGN_DELAYS_MS[n]);
  }

  function resign(box, url) {
    // The results were replaced meanwhile: nothing to do.
    if (!box.isConnected) return;
    box._resignStatus = 0;
    window.htmx.ajax('GET', url, { source: box, target: box, swap: 'outerHTML' }).then(function () {
      // Swapped: the fresh box is on its own (see htmx:afterSwap below).
      if (box.isConnected) resignFailed(box, url);
    }, function () {
      if (box.isConnected) resignFailed(box, url);
    });
  }

  // resignFailed handles a re-sign that swapped nothing in: no answer or a
  // server error may pass, so try again; any other answer (404: the image
  // is gone) is final.
  function resignFailed(box, url) {
    var s = box._resignStatus || 0;
    if (s === 0 || s === 429 || s >= 500) {
      scheduleResign(box, url);
    } else {
      markBroken(box);
    }
  }

  function onThumbError(img) {
    var box = img.closest('[data-thumb]');
    if (!box) return;
    var original = img.getAttribute('data-fallback-src');
    if (original) {
      img.removeAttribute('data-fallback-src');
      img.src = original;
      return;
    }
    // Already being re-signed (the failure was seen twice), or given up.
    if (box.classList.contains('is-resigning') || box.classList.contains('is-broken')) return;
    var url = img.getAttribute('data-resign-url');
    if (!box.id || !url || !isLocalPath(url) || !window.htmx) {
      markBroken(box);
      return;
    }
    scheduleResign(box, url);
  }

  // error does not bubble: listen in the capture phase.
  document.addEventListener('error', function (e) {
    var t = e.target;
    if (t instanceof HTMLImageElement && t.closest('[data-thumb]')) onThumbError(t);
  }, true);

  function isThumbRequest(e) {
    var elt = e.detail.requestConfig && e.detail.requestConfig.elt;
    return elt && elt.hasAttribute && elt.hasAttribute('data-thumb') ? elt : null;
  }

  // A re-sign answered with an error must not replace the thumbnail box.
  document.addEventListener('htmx:beforeSwap', function (e) {
    if (isThumbRequest(e) && e.detail.xhr.status >= 300) {
      e.detail.shouldSwap = false;
    }
  });
  document.addEventListener('htmx:afterRequest', function (e) {
    var box = isThumbRequest(e);
    if (box) box._resignStatus = e.detail.xhr ? e.detail.xhr.status : 0;
  });

  // The fresh box carries the count on, and its image loads at once: the
  // old one failed because it was wanted, and a lazy fresh URL left waiting
  // off screen could expire too. htmx:afterSwap fires on the new element
  // right after it is inserted, before the image can fail.
  document.addEventListener('htmx:afterSwap', function (e) {
    var old = isThumbRequest(e);
    var fresh = e.target;
    if (!old || fresh === old || !fresh.matches || !fresh.matches('[data-thumb]')) return;
    fresh.setAttribute('data-resigns', String(resignCount(old)));
    var img = fresh.querySelector('img');
    if (img) img.loading = 'eager';
  });

  // Images that failed before this script ran. (An image whose failure was
  // already seen is left alone by onThumbError.)
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
    return text.split(/[\s,;\u3001\uff0c\uff1b]+/).filter(function (s) { return s !== ''; });
  }
  function updateCount(ta) {
    var out = document.querySelector('[data-count-for="' + ta.id + '"]');
    if (!out) return;
    // Distinct IDs, as the server counts them; over the limit, say so
    // before the user submits.
    var seen = {};
    var n = 0;
    splitIDs(ta.value).forEach(function (id) {
      if (!seen[id]) { seen[id] = true; n++; }
    });
    var max = parseInt(ta.getAttribute('data-max') || '0', 10);
    var over = max > 0 && n > max;
    out.textContent = n === 0 ? '' : over
      ? n.toLocaleString('en') + ' IDs: a lookup takes at most ' + max.toLocaleString('en')
      : n + (n === 1 ? ' ID' : ' IDs');
    out.classList.toggle('is-over', over);
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

// vodboard player: plays an asset's PlayURLs straight from their signed
// URLs (HLS through hls.js where the browser has no native HLS), switches
// definitions keeping the position, picks the definition the screen needs,
// and re-signs expired URLs through the player fragment
// (GET /media/<id>/player). Loaded with `defer`; no eval, no inline code.
(function () {
  'use strict';

  var HLS_TYPE = 'application/vnd.apple.mpegurl';
  var RESIGN_LIMIT = 3;            // re-signs per player per minute
  var RESIGN_WINDOW_MS = 60000;

  var resume = {};                  // media ID -> {key, time, playing}
  var resigns = {};                 // media ID -> [timestamps]
  var hlsOf = new WeakMap();        // media element -> Hls instance

  function mediaOf(player) { return player.querySelector('[data-player-media]'); }
  function buttonsOf(player) {
    return Array.prototype.slice.call(player.querySelectorAll('[data-testid="player-definitions"] button[data-src]'));
  }

  function say(player, text) {
    var out = player.querySelector('[data-player-status]');
    if (out) out.textContent = text;
  }

  // The smallest definition at least as wide as the player's pixels (the
  // highest the screen needs: no 4K on a phone), a native format before HLS
  // at the same size; the widest when none is wide enough.
  function pick(player, buttons) {
    var media = mediaOf(player);
    var need = (media.clientWidth || player.clientWidth || 640) * (window.devicePixelRatio || 1);
    var best = null;
    buttons.forEach(function (b) {
      var w = parseInt(b.getAttribute('data-width'), 10) || 0;
      if (!playable(media, b)) return;
      if (!best) { best = b; return; }
      var bw = parseInt(best.getAttribute('data-width'), 10) || 0;
      var fits = w >= need, bestFits = bw >= need;
      if (fits && (!bestFits || w < bw || (w === bw && isNative(b) && !isNative(best)))) best = b;
      else if (!fits && !bestFits && (w > bw || (w === bw && isNative(b) && !isNative(best)))) best = b;
    });
    return best;
  }

  function isNative(b) { return !b.hasAttribute('data-hls'); }

  function hlsSupported(media) {
    return media.canPlayType(HLS_TYPE) !== '' || !!(window.Hls && window.Hls.isSupported());
  }

  function playable(media, b) { return isNative(b) || hlsSupported(media); }

  function detachHls(media) {
    var hls = hlsOf.get(media);
    if (hls) { hls.destroy(); hlsOf.delete(media); }
  }

  // attach plays button b's URL in the player from time, playing if it was.
  function attach(player, b, time, playing) {
    var media = mediaOf(player);
    var url = b.getAttribute('data-src');
    if (!media || !url) return;
    detachHls(media);
    if (!isNative(b) && media.canPlayType(HLS_TYPE) === '') {
      if (!(window.Hls && window.Hls.isSupported())) {
        say(player, 'This browser cannot play HLS; choose an mp4 definition.');
        return;
      }
      var hls = new window.Hls({ enableWorker: false });
      hlsOf.set(media, hls);
      hls.on(window.Hls.Events.ERROR, function (_, data) {
        if (data && data.fatal) resign(player);
      });
      hls.loadSource(url);
      hls.attachMedia(media);
    } else if (media.getAttribute('src') !== url) {
      media.setAttribute('src', url);
      media.load();
    }
    if (time > 0) {
      var seek = function () {
        media.removeEventListener('loadedmetadata', seek);
        try { media.currentTime = time; } catch (e) { /* not seekable yet */ }
      };
      if (media.readyState >= 1 && isNative(b)) seek(); else media.addEventListener('loadedmetadata', seek);
    }
    if (playing) {
      var p = media.play();
      if (p && p.catch) p.catch(function () { /* autoplay refused: the user presses play */ });
    }
    buttonsOf(player).forEach(function (x) { x.setAttribute('aria-pressed', x === b ? 'true' : 'false'); });
    player.setAttribute('data-current', b.getAttribute('data-key') || '');
    say(player, 'Playing ' + b.textContent.trim() + '.');
  }

  // resign asks the server for a freshly signed player and swaps it in; the
  // new player resumes where this one was. Bounded, so a stream that is
  // really gone cannot loop.
  function resign(player) {
    var id = player.getAttribute('data-media-id') || '';
    var url = player.getAttribute('data-resign-url');
    if (!id || !url || url.charAt(0) !== '/' || url.charAt(1) === '/' || !window.htmx) return;
    var now = Date.now();
    var times = (resigns[id] || []).filter(function (t) { return now - t < RESIGN_WINDOW_MS; });
    if (times.length >= RESIGN_LIMIT) {
      say(player, 'This stream cannot be loaded. Reload the page to try again.');
      return;
    }
    times.push(now);
    resigns[id] = times;
    var media = mediaOf(player);
    resume[id] = {
      key: player.getAttribute('data-current') || '',
      time: media ? media.currentTime : 0,
      playing: media ? !media.paused : false
    };
    if (media) detachHls(media);
    say(player, 'Refreshing the stream link…');
    window.htmx.ajax('GET', url, { source: player, target: player, swap: 'outerHTML' });
  }

  function init(player) {
    if (player.hasAttribute('data-player-ready')) return;
    player.setAttribute('data-player-ready', '');
    var media = mediaOf(player);
    var buttons = buttonsOf(player);
    if (!media || buttons.length === 0) return;
    media.addEventListener('error', function () {
      if (!hlsOf.get(media)) resign(player);
    });
    buttons.forEach(function (b) {
      b.addEventListener('click', function () {
        attach(player, b, media.currentTime || 0, !media.paused);
      });
    });
    var id = player.getAttribute('data-media-id') || '';
    var state = resume[id];
    delete resume[id];
    var start = null;
    if (state && state.key) {
      start = buttons.filter(function (b) { return b.getAttribute('data-key') === state.key; })[0] || null;
    }
    start = start || pick(player, buttons) || buttons[0];
    attach(player, start, state ? state.time : 0, state ? state.playing : false);
  }

  function initAll(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches('[data-player]')) init(root);
    root.querySelectorAll('[data-player]').forEach(init);
  }
  if (window.htmx) {
    window.htmx.onLoad(initAll);
  } else {
    document.addEventListener('DOMContentLoaded', function () { initAll(document.body); });
  }
})();

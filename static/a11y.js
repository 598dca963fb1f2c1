// vodboard accessibility behaviour: the arrow keys move through card grids,
// focus is never lost when htmx swaps new content in, and screen readers
// hear what a swap brought. Loaded with `defer` after htmx; no inline
// handlers, no eval (CSP: script-src 'self').
(function () {
  'use strict';

  // ---- Card grids: <ul data-card-grid> whose items are cards. With focus
  // on a control of a card, the arrow keys move it to the same control of
  // the card to the left, right, above or below, as the cards are laid out
  // on this screen (the number of columns follows its width); Home and End
  // go to the first and the last card. Enter opens the card: natively on
  // its title link, and from its selection checkbox too.
  var MOVES = { ArrowLeft: 1, ArrowRight: 1, ArrowUp: 1, ArrowDown: 1, Home: 1, End: 1 };

  function cardsOf(grid) {
    return Array.prototype.slice.call(grid.children);
  }

  // focusables are the card's controls in Tab order.
  function focusables(card) {
    return Array.prototype.filter.call(
      card.querySelectorAll('a[href], button, input, select, textarea, [tabindex]'),
      function (el) { return el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0; }
    );
  }

  // rowNeighbour is the card in the nearest row below (or above) card
  // whose centre is closest to card's.
  function rowNeighbour(cards, card, down) {
    var from = card.getBoundingClientRect();
    var centre = from.left + from.width / 2;
    var beyond = cards.map(function (c) { return { card: c, rect: c.getBoundingClientRect() }; })
      .filter(function (x) { return down ? x.rect.top >= from.bottom - 1 : x.rect.bottom <= from.top + 1; });
    if (beyond.length === 0) return null;
    var rowTop = beyond.reduce(function (top, x) {
      return down ? Math.min(top, x.rect.top) : Math.max(top, x.rect.top);
    }, down ? Infinity : -Infinity);
    var best = null, bestDistance = Infinity;
    beyond.forEach(function (x) {
      if (Math.abs(x.rect.top - rowTop) > 1) return;
      var d = Math.abs(x.rect.left + x.rect.width / 2 - centre);
      if (d < bestDistance) { best = x.card; bestDistance = d; }
    });
    return best;
  }

  function neighbour(cards, card, key) {
    var i = cards.indexOf(card);
    switch (key) {
      case 'ArrowLeft': return cards[i - 1] || null;
      case 'ArrowRight': return cards[i + 1] || null;
      case 'Home': return cards[0];
      case 'End': return cards[cards.length - 1];
      default: return rowNeighbour(cards, card, key === 'ArrowDown');
    }
  }

  // moveTo focuses the control at index (or the last one) of card.
  function moveTo(card, index) {
    var controls = focusables(card);
    var el = controls[Math.max(0, Math.min(index, controls.length - 1))];
    if (!el) return false;
    el.focus({ preventScroll: true });
    card.scrollIntoView({ block: 'nearest' });
    return true;
  }

  function isTextField(el) {
    return el.matches('textarea, select, input:not([type="checkbox"]):not([type="radio"]):not([type="button"]):not([type="submit"])');
  }

  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var t = e.target;
    var card = t.closest && t.closest('[data-card-grid] > *, [data-card-rows] > *');
    if (!card || isTextField(t)) return;
    if (e.key === 'Enter' && t.matches('input[type="checkbox"]')) {
      var link = focusables(card).filter(function (el) { return el.matches('a[href]'); })[0];
      if (link) {
        e.preventDefault();
        link.click();
      }
      return;
    }
    // A list's rows stack: Enter opens, the arrows stay the browser's.
    if (!MOVES[e.key] || !card.parentElement.hasAttribute('data-card-grid')) return;
    var next = neighbour(cardsOf(card.parentElement), card, e.key);
    if (next && next !== card && moveTo(next, focusables(card).indexOf(t))) e.preventDefault();
  });

  // ---- Focus across htmx swaps. A swap that removes the focused element
  // (the pager link that asked for the next page, a layout toggle, a type
  // tab) would leave focus on <body>, and a keyboard user at the top of the
  // page. Where focus was when the request started, and where it is once
  // the new content has settled, decide: focus still on an element of the
  // page stays; otherwise it goes back to that element if it is still
  // there, else to the swapped region's landing point: its first
  // [data-focus] element (a results heading, tabindex="-1"), else the
  // region itself when it is focusable. htmx itself keeps focus on an
  // element with an id that the new content has too. When focus stays
  // put (a filter checkbox), the landing heading is read out instead
  // through the layout's live region, so a screen reader still hears
  // what the swap brought ("1–20 of 31 videos").
  var focusAtRequest = new WeakMap(); // xhr -> the element focused when it started

  function isFocusable(el) {
    return el && el.isConnected && !el.disabled && el.tabIndex >= -1 && el.getClientRects().length > 0;
  }

  function landing(region) {
    if (!region) return null;
    var heading = region.querySelector('[data-focus]');
    if (heading) return heading;
    return region.hasAttribute('tabindex') ? region : null;
  }

  // A region being reloaded is aria-busy meanwhile (thumbnails re-signing
  // in place are not worth telling).
  function reloading(e) {
    var target = e.detail.target;
    return target && target.setAttribute && !target.hasAttribute('data-thumb') ? target : null;
  }

  document.addEventListener('htmx:beforeRequest', function (e) {
    var active = document.activeElement;
    if (e.detail.xhr && active && active !== document.body) focusAtRequest.set(e.detail.xhr, active);
    var region = reloading(e);
    if (region) region.setAttribute('aria-busy', 'true');
  });

  document.addEventListener('htmx:afterRequest', function (e) {
    var region = reloading(e);
    if (region) region.removeAttribute('aria-busy');
  });

  function announce(text) {
    var live = document.getElementById('live');
    if (!live || !text) return;
    live.textContent = '';
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  document.addEventListener('htmx:afterSettle', function (e) {
    var xhr = e.detail.xhr;
    var before = xhr && focusAtRequest.get(xhr);
    if (!before) return;
    focusAtRequest.delete(xhr); // settle fires once per swapped element
    var target = e.detail.target;
    var region = target && target.isConnected ? target : target && target.id && document.getElementById(target.id);
    var to = landing(region);
    var active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      if (isFocusable(before)) {
        before.focus({ preventScroll: true });
      } else if (to) {
        to.focus();
        return;
      }
    }
    if (to && to.matches('[data-focus]') && !to.contains(document.activeElement)) {
      announce(to.textContent.replace(/\s+/g, ' ').trim());
    }
  });

  // A live lookup's "done" event replaces the live view (server-sent
  // events, no request of its own): when focus was inside it, it moves to
  // the finished results' heading, and the summary is read out.
  document.addEventListener('htmx:sseBeforeMessage', function (e) {
    var live = e.target;
    if (!e.detail || e.detail.type !== 'done' || !live || live.id !== 'lookup-live') return;
    var had = live.contains(document.activeElement);
    var results = live.parentElement;
    window.setTimeout(function () {
      var to = landing(results);
      if (!to) return;
      if (had) to.focus({ preventScroll: true });
      var summary = results.querySelector('[data-testid="results-summary"]');
      if (summary) announce(summary.textContent.replace(/\s+/g, ' ').trim());
    }, 0);
  });
})();

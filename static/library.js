// vodboard library page: selecting items and acting on the selection, and
// the filter panel on small screens. Loaded with `defer` after htmx and
// app.js; no inline handlers, no eval (CSP: script-src 'self').
(function () {
  'use strict';

  var lastClicked = null; // the checkbox a shift-click extends from

  function bar(root) {
    return (root || document).querySelector('[data-selection-bar]');
  }

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll('#library-results input[data-select]'));
  }

  function selectedIDs() {
    return boxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
  }

  // refresh brings the selection bar in line with the checkboxes: count,
  // copy text, lookup link, the "select page" box, and the item highlight.
  function refresh() {
    var b = bar();
    if (!b) return;
    var all = boxes();
    var ids = selectedIDs();
    all.forEach(function (box) {
      var item = box.closest('[data-testid="library-item"]');
      if (item) item.classList.toggle('is-selected', box.checked);
    });
    var count = b.querySelector('[data-selection-count]');
    if (count) count.textContent = ids.length === 0 ? '' : ids.length + ' selected';
    var copy = b.querySelector('[data-copy-selection]');
    if (copy) {
      copy.setAttribute('data-copy', ids.join('\n'));
      copy.disabled = ids.length === 0;
    }
    var open = b.querySelector('[data-open-selection]');
    if (open) {
      var path = b.getAttribute('data-lookup-path') || '/media';
      if (ids.length === 0) {
        open.setAttribute('href', path);
        open.setAttribute('aria-disabled', 'true');
      } else {
        open.setAttribute('href', path + '?ids=' + encodeURIComponent(ids.join(',')));
        open.removeAttribute('aria-disabled');
      }
    }
    var allBox = b.querySelector('[data-select-all]');
    if (allBox) {
      allBox.checked = all.length > 0 && ids.length === all.length;
      allBox.indeterminate = ids.length > 0 && ids.length < all.length;
    }
    b.classList.toggle('has-selection', ids.length > 0);
  }

  function clearSelection() {
    boxes().forEach(function (box) { box.checked = false; });
    lastClicked = null;
    refresh();
  }

  // Selection checkboxes have no name and are not filters: their change
  // events must not reach the filter form (which would search again), so
  // they are handled here, in the capture phase, and stopped.
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (!(t instanceof HTMLInputElement)) return;
    if (t.hasAttribute('data-select-all')) {
      e.stopPropagation();
      var on = t.checked;
      boxes().forEach(function (box) { box.checked = on; });
      refresh();
    } else if (t.hasAttribute('data-select')) {
      e.stopPropagation();
      refresh();
    }
  }, true);

  // Shift-click selects the range from the last clicked checkbox.
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!(t instanceof HTMLInputElement) || !t.hasAttribute('data-select')) return;
    var all = boxes();
    if (e.shiftKey && lastClicked && lastClicked !== t && all.indexOf(lastClicked) >= 0) {
      var a = all.indexOf(lastClicked), b = all.indexOf(t);
      var lo = Math.min(a, b), hi = Math.max(a, b);
      for (var i = lo; i <= hi; i++) all[i].checked = t.checked;
    }
    lastClicked = t;
    refresh();
  }, true);

  // "Open in lookup" does nothing while nothing is selected.
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-open-selection]');
    if (a && a.getAttribute('aria-disabled') === 'true') e.preventDefault();
  });

  // Escape leaves the selection.
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && selectedIDs().length > 0) clearSelection();
  });

  // On small screens the filter panel starts closed.
  function initPanel(root) {
    var panel = root.querySelector && root.querySelector('[data-filter-panel]');
    if (panel && window.matchMedia && window.matchMedia('(max-width: 760px)').matches) {
      panel.removeAttribute('open');
    }
  }

  function init(root) {
    if (!root || !root.querySelectorAll) return;
    // A swap that replaced the checkboxes takes the shift-click anchor with
    // it; the click handler checks that the anchor is still in the page.
    initPanel(root);
    refresh();
  }
  if (window.htmx) {
    window.htmx.onLoad(init);
  } else {
    document.addEventListener('DOMContentLoaded', function () { init(document.body); });
  }
})();

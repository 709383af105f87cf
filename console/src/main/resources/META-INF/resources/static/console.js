// Keeps a page live: its server-sent event stream sends the page's live part again whenever it changed.
// EventSource reconnects by itself; the dot in the header says whether updates are arriving.
(function () {
  var live = document.getElementById('live');
  var dot = document.getElementById('live-dot');
  if (!live || !live.dataset.stream || !window.EventSource) {
    return;
  }
  var source = new EventSource(live.dataset.stream);
  source.onopen = function () { if (dot) { dot.className = 'live-dot on'; } };
  source.onerror = function () { if (dot) { dot.className = 'live-dot off'; } };
  source.onmessage = function (event) {
    var fragment = JSON.parse(event.data);
    live.innerHTML = fragment.html;
    live.dataset.updated = String(Date.now());
    if (dot) { dot.className = 'live-dot on'; }
  };
})();

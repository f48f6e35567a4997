// Runs before any page script (CDP Page.addScriptToEvaluateOnNewDocument); see main.rs.
(() => {
  const B = (window.__bench = { frames: [], longtasks: [], events: [], memory: null });
  const grab = (r) => {
    const exports = (r.instance || r).exports || {};
    for (const k in exports) if (exports[k] instanceof WebAssembly.Memory) B.memory = exports[k];
    return r;
  };
  for (const f of ["instantiate", "instantiateStreaming"]) {
    const orig = WebAssembly[f];
    if (orig) WebAssembly[f] = function () { return orig.apply(this, arguments).then(grab); };
  }
  let pending = false, last = "";
  const check = () => {
    pending = false;
    const rows = document.querySelectorAll("tbody tr").length;
    const tiles = document.querySelectorAll("article.tile").length;
    // Tiles whose text is on screen: each text tile's first paragraph.
    const filled = document.querySelectorAll("article.tile p:first-of-type").length;
    const key = rows + "/" + tiles + "/" + filled;
    if (key === last) return;
    last = key;
    // rAF runs before the paint; the task after it runs once the frame is painted.
    setTimeout(() => B.frames.push({ rows, tiles, filled, t: performance.now() }), 0);
  };
  new MutationObserver(() => {
    if (!pending) { pending = true; requestAnimationFrame(check); }
  }).observe(document, { childList: true, subtree: true });
  const observe = (type, into, extra) => {
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) into.push({ name: e.name, start: e.startTime, duration: e.duration });
      }).observe(Object.assign({ type, buffered: true }, extra));
    } catch (e) { /* an observer type this Chromium lacks */ }
  };
  observe("longtask", B.longtasks);
  observe("event", B.events, { durationThreshold: 16 });
})();

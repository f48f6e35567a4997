// Prepended to the boot script by scripts/post-build.py (not in the embed loader).
// Reloading a page in this tab sends the read the app made for it last time (src/api/early.rs)
// at once, while the wasm loads; the app's API client then takes this answer instead of asking
// again. It knows no URL of its own: the app wrote the page, the URL, the Authorization header and
// the timeout when it made the read.
try {
  window.__dashdeckEarly = null;
  const [page, url, authorization, timeout] = (sessionStorage.getItem("dashdeck.early") || "").split("\n");
  if (url && page === location.pathname + location.search) {
    const headers = { Accept: "application/json" };
    if (authorization) headers.Authorization = authorization;
    const response = fetch(url, { headers, signal: AbortSignal.timeout(+timeout || 30000) });
    response.catch(() => {});
    window.__dashdeckEarly = { url, authorization, response };
  }
} catch (e) {
  // No storage (blocked by the browser): the app reads as usual.
}

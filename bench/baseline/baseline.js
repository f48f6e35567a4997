// Hand-written baseline: fetch the same JSON as Dashdeck and render the same rows and tiles with DOM calls.
"use strict";
(async function () {
  const config = await (await fetch("/config.json")).json();
  const headers = { Authorization: "Bearer " + config.api_key, Accept: "application/json" };
  const main = document.getElementById("main");
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const who = (u) => (u ? [u.first_name, u.last_name].filter(Boolean).join(" ") || u.email : "—");
  const date = (iso) => (iso ? new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" }) : "—");
  const m = location.pathname.match(/^\/project\/(\d+)\/dashboards(?:\/(\d+))?/);
  if (!m) return;
  if (m[2]) {
    const d = await (await fetch(`/api/projects/${m[1]}/dashboards/${m[2]}/`, { headers })).json();
    main.append(el("h1", d.name || "Untitled"), el("p", d.description));
    const grid = el("div", null, "grid");
    for (const t of d.tiles || []) {
      const sm = (t.layouts && t.layouts.sm) || {};
      const a = el("article", null, "tile");
      a.style.gridColumn = `${(+sm.x || 0) + 1} / span ${+sm.w || 6}`;
      a.style.gridRow = `${(+sm.y || 0) + 1} / span ${+sm.h || 5}`;
      if (t.insight) {
        a.append(el("h2", t.insight.name || t.insight.derived_name || "Untitled insight"), el("p", t.insight.description));
        const q = t.insight.query || {};
        a.append(el("p", (q.source && q.source.kind) || q.kind || ""));
      } else if (t.text) {
        for (const line of (t.text.body || "").split("\n")) a.append(el("p", line));
      }
      grid.append(a);
    }
    main.append(grid);
  } else {
    const page = await (await fetch(`/api/projects/${m[1]}/dashboards/?limit=100&offset=0`, { headers })).json();
    main.append(el("h1", "Dashboards"), el("p", `${page.count} dashboards`));
    const table = el("table");
    const body = el("tbody");
    for (const d of page.results) {
      const tr = el("tr");
      tr.append(el("td", d.pinned ? "★" : ""));
      const th = el("th");
      const a = el("a", d.name || "Untitled");
      a.href = `/project/${m[1]}/dashboards/${d.id}`;
      th.append(a);
      tr.append(th, el("td", d.description));
      const tags = el("td");
      for (const t of d.tags || []) tags.append(el("span", t, "tag"));
      tr.append(tags, el("td", who(d.created_by)), el("td", date(d.created_at)));
      tr.append(el("td", [d.is_shared ? "Shared" : "", d.effective_privilege_level < 37 ? "Read-only" : ""].join(" ")));
      body.append(tr);
    }
    table.append(body);
    main.append(table);
  }
})();

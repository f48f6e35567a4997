// Builds static DOM from the operations `Ops` (src/logic/dom_ops.rs) wrote: one call per tile or
// text body instead of one wasm→JS call per element, attribute and text node. Strings become text
// nodes and attribute values, never markup; only the tags and attributes listed here are used.
const TAGS = "a blockquote button code div em figcaption figure h2 h3 h4 h5 h6 header hr li ol p polyline pre span strong svg table tbody td th thead tr ul".split(" ");
const ATTRS = "aria-expanded aria-hidden aria-label class fill href id points preserveAspectRatio role style type vector-effect viewBox".split(" ");
const SVG = "http://www.w3.org/2000/svg";

export function buildDom(root, ops) {
  const open = [root];
  let at = root;
  for (const op of ops.split("\0")) {
    const arg = op.slice(1);
    switch (op[0]) {
      case "<":
        if (!TAGS.includes(arg)) return;
        at = at.appendChild(
          arg === "svg" || arg === "polyline" ? document.createElementNS(SVG, arg) : document.createElement(arg),
        );
        open.push(at);
        if (arg === "a") {
          at.target = "_blank";
          at.rel = "noopener noreferrer nofollow";
        }
        break;
      case ">":
        if (open.length > 1) open.pop();
        at = open[open.length - 1];
        break;
      case "@": {
        const eq = arg.indexOf("=");
        const name = arg.slice(0, eq);
        if (!ATTRS.includes(name)) return;
        at.setAttribute(name, arg.slice(eq + 1));
        break;
      }
      case "'":
        at.append(arg);
    }
  }
}

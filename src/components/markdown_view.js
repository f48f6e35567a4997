// Builds a text tile's body from the operations `dom_ops` (src/logic/markdown.rs) wrote: one call
// per body instead of one wasm→JS call per node. Strings become text nodes and an `href`, never
// markup; only the tags listed here are created.
const TAGS = "p h3 h4 h5 h6 ul ol li blockquote pre code hr strong em a".split(" ");

export function buildMarkdown(root, ops) {
  const open = [root];
  let at = root;
  for (const op of ops.split("\0")) {
    const arg = op.slice(1);
    switch (op[0]) {
      case "<":
        if (!TAGS.includes(arg)) return;
        at = at.appendChild(document.createElement(arg));
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
      case "'":
        at.append(arg);
        break;
      case "=":
        at.setAttribute("href", arg);
    }
  }
}

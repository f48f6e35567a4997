#!/usr/bin/env python3
"""trunk post_build hook.

1. Moves trunk's inline `<script type="module">` loader into a file (`boot-<hash>.js`), so
   index.html's Content-Security-Policy can forbid inline scripts.
2. Makes every asset URL relative: index.html's links resolve against its `<base href>` and the
   boot loader against its own URL, so the `<base href>` is the only thing that names the hosting
   sub-path — rebasing a copy of dist/ at deploy time is a one-line edit (README "Hosting").
3. Cuts the wasm into the first-load module and files loaded on first use (scripts/split_wasm.py).
4. Writes the embed loader `dashdeck-embed.js`, which knows the hashed file names and finds them
   beside itself (`import.meta.url`), and `embed-<hash>.css`: the app's stylesheet rewritten for
   the shadow root the app mounts into when embedded (README "Embedding").
5. Prepends src/api/early.js to the boot script: a reload sends the page's first read while the wasm
   loads.
6. Writes brotli and gzip copies of the code and styles beside them.

With CSP_CONNECT_SRC set (e.g. "https://posthog.example.com"), adds those hosts to connect-src
and frame-src for a self-hosted deployment."""
import gzip, json, os, re, sys

import brotli

import split_wasm

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
index = os.path.join(staging, "index.html")
html = open(index, encoding="utf-8").read()


def fail(message):
    sys.exit(f"post-build: {message} in {index}")


def write_hashed(stem, ext, text):
    return split_wasm.write_hashed(staging, stem, ext, text.encode())


base = re.search(r'<base href="([^"]*)"', html)
if not base:
    fail("no <base href>")
base = base.group(1)
# trunk writes absolute URLs under --public-url; relative ones resolve against <base href>.
html = re.sub(rf'((?:href|src)=")({re.escape(base)})(?=[\w.-]+")', r"\1", html)

inline = re.compile(r"<script type=\"?module\"?>(.*?)</script>", re.S)
found = inline.findall(html)
if len(found) != 1:
    fail(f"expected one inline module script, found {len(found)}")
code = found[0].strip() + "\n"
code = re.sub(rf"from '{re.escape(base)}([\w.-]+)'", r"from './\1'", code)
code = re.sub(rf"'{re.escape(base)}([\w.-]+)'", r"new URL('\1', import.meta.url)", code)
if base in re.sub(r"new URL\('[\w.-]+', import\.meta\.url\)|from '\./[\w.-]+'", "", code):
    fail("the module loader keeps an absolute URL")
html, (trunk_name, name) = split_wasm.run(staging, html)
if f"'./{trunk_name}.js'" not in code or f"new URL('{trunk_name}_bg.wasm'" not in code:
    fail(f"the module loader does not load {trunk_name}")
code = code.replace(trunk_name, name)
# A reload sends the page's first read while the wasm loads (src/api/early.rs).
code = open(os.path.join(os.path.dirname(__file__), "..", "src", "api", "early.js"), encoding="utf-8").read() + code

# wasm-bindgen leaves the JS snippets of earlier builds in its output folder and trunk preloads every
# one it finds there: a file and a fetch on every page that nothing imports. Drop those the glue does
# not import.
glue = open(os.path.join(staging, name + ".js"), encoding="utf-8").read()
for folder, _, snippets in os.walk(os.path.join(staging, "snippets"), topdown=False):
    for snippet in snippets:
        path = os.path.relpath(os.path.join(folder, snippet), staging).replace(os.sep, "/")
        if path not in glue:
            os.remove(os.path.join(staging, path))
            html = re.sub(rf'<link rel="modulepreload" href="[^"]*?{re.escape(path)}"[^>]*>', "", html)
    if not os.listdir(folder):
        os.rmdir(folder)
html = inline.sub(f'<script type="module" src="{write_hashed("boot", "js", split_wasm.minify(code))}"></script>', html)

extra = os.environ.get("CSP_CONNECT_SRC", "").strip()
if extra:
    html = re.sub(r"(connect-src|frame-src) ", lambda m: f"{m.group(0)}{extra} ", html)
if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html):
    fail("an inline script is left")
open(index, "w", encoding="utf-8").write(html)


def asset(pattern):
    names = re.findall(pattern, html)
    if len(names) != 1:
        fail(f"expected one {pattern}")
    return names[0]


def shadow_css(css):
    """The stylesheet inside the app's shadow root: the page-wide rules (`:root`, `body`) go to
    the app's root element, which first drops everything inherited from the host page
    (`all: initial`); `rem` becomes px because the host page's `html { font-size }` sets rem."""
    css = css.replace(":root {", ":host { display: block; }\n.dashdeck-root {\n  all: initial;\n  display: block;", 1)
    css = re.sub(r"(?<![\w-])body(?![\w-])", ".dashdeck-root", css)
    return re.sub(r"(\d*\.?\d+)rem\b", lambda m: f"{float(m.group(1)) * 16:g}px", css)


css = open(os.path.join(staging, asset(r'href="(main-[\w]+\.css)"')), encoding="utf-8").read()
if ":root {" not in css:
    fail("the stylesheet has no :root rule")
files = {
    "js": asset(r'rel="modulepreload" href="(dashdeck-[\w]+\.js)"'),
    "wasm": asset(r'rel="preload" href="([\w.-]+\.wasm)"'),
    "css": write_hashed("embed", "css", shadow_css(css)),
}
loader = """// Dashdeck's embed loader, generated by scripts/post-build.py; see the README's "Embedding".
// The app's files sit beside this file, wherever it is served from.
const files = %s;
const url = (file) => new URL(files[file], import.meta.url).href;
let app;

/** Mounts Dashdeck into `element`, inside a shadow root; `options` has config.json's fields. */
export async function mount(element, options = {}) {
  app ??= import(url("js")).then(async (m) => (await m.default({ module_or_path: url("wasm") }), m));
  (await app).mount_embedded(element, options, url("css"));
}

globalThis.Dashdeck = { mount };
for (const element of document.querySelectorAll("[data-dashdeck]")) {
  mount(element, element.dataset.dashdeck || "{}");
}
""" % json.dumps(files)
open(os.path.join(staging, "dashdeck-embed.js"), "w", encoding="utf-8").write(loader)

# 5. Precompressed copies (`x.wasm.br`, `x.wasm.gz`) of the code and styles, for servers that send
# them as they are (the stand-in; nginx `brotli_static`/`gzip_static`). index.html and the JSON
# files are left alone: hosts edit them in place (<base href>, config.json).

for name in sorted(os.listdir(staging)):
    if name.rsplit(".", 1)[-1] in ("wasm", "js", "css", "svg"):
        data = open(os.path.join(staging, name), "rb").read()
        open(os.path.join(staging, name + ".br"), "wb").write(brotli.compress(data, quality=11))
        open(os.path.join(staging, name + ".gz"), "wb").write(gzip.compress(data, 9, mtime=0))

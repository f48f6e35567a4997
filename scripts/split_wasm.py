"""Cuts the app's wasm into a first-load module and files loaded on first use (a step of
scripts/post-build.py).

The `split` feature (index.html's `data-cargo-features`) turns each `lazy_view!` split point
(src/components/lazy.rs) into an import/export pair in cargo's wasm, linked with
`--emit-relocs` (.cargo/config.toml). Here `wasm-split-cli` moves every function that only split
points reach into `split_<name>.wasm` files (code several split points share goes into
`chunk_<n>.wasm`), then wasm-bindgen and wasm-opt run on the rest as trunk would have run them on
the whole. The split files get content-hashed names, so a host may cache them for good; the
small JS module that fetches them (`split-<hash>.js`) is preloaded beside the main module.

trunk's own wasm-bindgen output is replaced; trunk's wasm-opt is off (`data-wasm-opt="0"`),
since its work would be thrown away."""
import base64, glob, hashlib, json, os, re, shutil, subprocess, sys, tempfile

LINK = "__wasm_split.js"

# Appended to the split loader: a host that sends .wasm files without `application/wasm` (an older
# nginx mime.types, some object stores) gets them instantiated from their bytes, as wasm-bindgen's
# own loader does for the main module, instead of a failed instantiateStreaming.
INSTANTIATE = """
async function instantiate(src, imports) {
    const response = await src;
    if ((response.headers.get("Content-Type") || "").startsWith("application/wasm")) {
        return WebAssembly.instantiateStreaming(response, imports);
    }
    if (!response.ok) {
        throw new Error(`${response.url}: HTTP ${response.status}`);
    }
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
"""

# wasm-bindgen's glue decodes every string the wasm hands to the browser (each tag, attribute,
# class and text) with TextDecoder, through a new Uint8Array view each time. For short strings the
# call costs more than the decoding: like Emscripten's UTF8ToString, the glue here reads up to 16
# bytes of ASCII itself and leaves anything longer or non-ASCII to TextDecoder. CPU profiles of
# the 100-tile dashboard's load: decoding 3.1 -> 2.2 ms.
GET_STRING = re.compile(
    r"function getStringFromWasm0\(ptr, len\) \{\s*ptr = ptr >>> 0;\s*"
    r"return decodeText\(getUint8ArrayMemory0\(\)\.subarray\(ptr, ptr \+ len\)\);\s*\}"
)
SHORT_STRINGS = """function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    if (len <= 16) {
        const bytes = getUint8ArrayMemory0();
        let text = "";
        for (let i = ptr; i < ptr + len; i++) {
            const byte = bytes[i];
            if (byte > 127) return decodeText(bytes.subarray(ptr, ptr + len));
            text += String.fromCharCode(byte);
        }
        return text;
    }
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}"""


# wasm-bindgen's glue imports each JS snippet of the crate (`#[wasm_bindgen(module = ...)]`) from a
# file of its own: one more request before the app starts, and one that scripts/size.sh would not
# count. The glue takes them in instead, each in a scope of its own.
SNIPPET_IMPORT = re.compile(r"^import \{([^}]*)\} from '\./(snippets/[\w./-]+\.js)';\n", re.M)


def inline_snippets(js, folder):
    """`js` (wasm-bindgen's glue in `folder`) with its snippet imports replaced by the snippets'
    code. A snippet may only export functions and constants, and import nothing."""
    def take(match):
        names, path = match.group(1), match.group(2)
        code = open(os.path.join(folder, path), encoding="utf-8").read()
        code = re.sub(r"\bexport\s+(?=(?:async\s+)?function\b|const\b)", "", code)
        # Any other export (`let`, `class`, `default`, a list) or an import would be left broken.
        if re.search(r"^\s*import\b|\bexport\b", code, re.M):
            sys.exit(f"split-wasm: the snippet {path} imports or exports in a way the glue cannot take in")
        pairs = [n.strip().split(" as ") for n in names.split(",") if n.strip()]
        exported = ", ".join(p[0] for p in pairs)
        bound = ", ".join(p[0] if len(p) == 1 else f"{p[0]}: {p[1]}" for p in pairs)
        return f"const {{ {bound} }} = (() => {{\n{code}\nreturn {{ {exported} }};\n}})();\n"
    return SNIPPET_IMPORT.sub(take, js)


def _tool(name, version_pattern, hint):
    path = shutil.which(name)
    if not path:
        sys.exit(f"split-wasm: {name} is not on PATH ({hint})")
    if version_pattern is None:
        return path
    version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    if not re.search(version_pattern, version):
        sys.exit(f"split-wasm: {path} is {version.strip()!r}, not {version_pattern} ({hint})")
    return path


def _lock_version(package):
    lock = open("Cargo.lock", encoding="utf-8").read()
    found = re.search(rf'name = "{re.escape(package)}"\nversion = "([^"]+)"', lock)
    if not found:
        sys.exit(f"split-wasm: {package} is not in Cargo.lock")
    return found.group(1)


def _target_dir():
    if os.environ.get("CARGO_TARGET_DIR"):
        return os.environ["CARGO_TARGET_DIR"]
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--offline"],
        capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(meta)["target_directory"]


def write_hashed(staging, stem, ext, data):
    """Writes `data` (bytes) as `<stem>-<16 hex digits of its SHA-256>.<ext>`, the name a host may
    cache for good; returns the name. Also post-build.py's, for the boot script and the embed CSS."""
    name = f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
    open(os.path.join(staging, name), "wb").write(data)
    return name


def minify(text):
    """`text` (an ES module) minified by esbuild from npm (package.json): wasm-bindgen's glue is
    ~60 kB of readable JavaScript that every first load fetches and parses. Release builds only."""
    if os.environ.get("TRUNK_PROFILE", "release") != "release":
        return text
    esbuild = _tool("esbuild", r"^0\.28\.2\b", "npm esbuild 0.28.2 in node_modules/.bin, first on PATH: npm ci")
    done = subprocess.run([esbuild, "--minify", "--format=esm", "--loader=js", "--log-level=warning"],
                          input=text, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"split-wasm: esbuild could not minify a module:\n{done.stderr}")
    return done.stdout


def _integrity(data):
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def run(staging, html):
    """Splits the build in `staging`; returns index.html's text with the main module's new file
    names and integrity hashes and a preload of the split loader, and (trunk's name for the main
    module, its new name) for the boot script."""
    main = re.search(r'rel="modulepreload" href="(dashdeck-\w+)\.js"', html)
    if not main:
        sys.exit("split-wasm: index.html preloads no main module")
    stem = main.group(1)
    release = os.environ.get("TRUNK_PROFILE", "release") == "release"
    raw = os.path.join(_target_dir(), "wasm32-unknown-unknown", "release" if release else "debug", "dashdeck.wasm")
    if not os.path.exists(raw):
        sys.exit(f"split-wasm: cargo's {raw} is missing")
    split = _tool("wasm-split-cli", None, "scripts/setup.sh installs it")
    bindgen = _tool("wasm-bindgen", re.escape(_lock_version("wasm-bindgen")), "scripts/setup.sh installs the version of Cargo.lock")
    work = tempfile.mkdtemp(prefix="dashdeck-split-")
    try:
        # Named the same in every build: the wasm imports its JS from "./<name>_bg.js", and trunk's
        # name is a hash of cargo's wasm, which (once the crate imports a JS snippet) holds the
        # absolute path of the crate's package.json, where wasm-bindgen looks for the snippets' npm
        # dependencies — so it differed between checkouts, and the first load's brotli size moved
        # by ~0.1 kB with it. The files get their content-hashed names below.
        built = "dashdeck"
        subprocess.run([split, raw, work, "--target", "web", "--out-name", built], check=True)
        out = os.path.join(work, "bindgen")
        subprocess.run(
            [bindgen, "--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript",
             "--out-name", built, "--out-dir", out, os.path.join(work, f"{built}.wasm")],
            check=True,
        )
        parts = sorted(p for p in glob.glob(os.path.join(work, "*.wasm")) if os.path.basename(p) != f"{built}.wasm")
        wasms = [os.path.join(out, f"{built}_bg.wasm")] + parts
        if release:
            # The npm binaryen 132 that Trunk.toml names; Debian's binaryen 108 breaks start-up.
            opt = _tool("wasm-opt", r"version 132\b", "npm binaryen 132 in node_modules/.bin, first on PATH")
            # (Its warnings about the name sections it drops are noise; its errors are shown.)
            # DASHDECK_WASM_NAMES=1 keeps function names, for a readable CPU profile.
            # The levels that compress best (brotli, tenth session): -Os for the first-load module
            # (-Oz: +677 B), -O3 for the split files (-Oz: +2.4 kB to open a dashboard) — inlining
            # also leaves the dashboard's part 838 functions instead of 1,345, each compiled on its
            # first call in a new tab. A function with one caller is inlined only up to 300 of
            # Binaryen's size units (default: whatever its size): −536 B brotli first load, −170 B
            # for the dashboard's part, whose exported view was one 21 kB function that a new tab
            # compiled on the main thread in 2–7 ms (twelfth session; 80 and 1,000 compress worse).
            running = [
                (w, subprocess.Popen([opt, "-Os" if w == wasms[0] else "-O3"] + ["--one-caller-inline-max-function-size=300"] + (["-g"] if os.environ.get("DASHDECK_WASM_NAMES") else ["--strip-debug"]) + [f"--output={w}", w], stderr=subprocess.PIPE, text=True))
                for w in wasms
            ]
            for w, p in running:
                errors = p.communicate()[1]
                if p.returncode != 0:
                    sys.exit(f"split-wasm: wasm-opt failed on {os.path.basename(w)}:\n{errors}")

        link = open(os.path.join(work, LINK), encoding="utf-8").read()
        streaming = "WebAssembly.instantiateStreaming(src, imports)"
        if streaming not in link:
            sys.exit("split-wasm: the split loader does not instantiate the files as expected")
        link = link.replace(streaming, "instantiate(src, imports)") + INSTANTIATE
        for part in parts:
            name = os.path.basename(part)
            if f'"./{name}"' not in link:
                sys.exit(f"split-wasm: the split loader does not fetch {name}")
            hashed = write_hashed(staging, name[:-5], "wasm", open(part, "rb").read())
            link = link.replace(f'"./{name}"', f'"./{hashed}"')
        if not link.startswith(f'import {{ initSync }} from "./{built}.js";'):
            sys.exit("split-wasm: the split loader does not import the main module")
        js = inline_snippets(open(os.path.join(out, f"{built}.js"), encoding="utf-8").read(), out)
        if "snippets/" in js:
            sys.exit("split-wasm: the glue still imports a snippet (see SNIPPET_IMPORT)")
        js, found = GET_STRING.subn(lambda _: SHORT_STRINGS, js)
        if found != 1:
            sys.exit("split-wasm: wasm-bindgen's glue has no getStringFromWasm0 as expected (see GET_STRING)")
        wasm = open(wasms[0], "rb").read()

        # trunk's name for the main module hashes its own build, not what ends up in the files: a
        # change here alone (a new esbuild, a wasm-opt flag) would ship new content under a name
        # hosts cache for good, and the page's integrity check would refuse the cached copy. The
        # new name hashes the files' final content (the glue and the split loader name each other,
        # so one hash names both of the main module's files).
        js = minify(js)
        digest = hashlib.sha256(wasm + js.encode() + link.encode()).hexdigest()[:16]
        renamed = f"dashdeck-{digest}"
        # The split loader stays readable (1.2 kB): scripts/size.sh reads which files each part needs.
        link_data = link.replace(f'"./{built}.js"', f'"./{renamed}.js"', 1).encode()
        link_name = write_hashed(staging, "split", "js", link_data)
        # The wasm's import keys (`"./__wasm_split.js": import1`) stay; only the file name changes
        # (esbuild keeps import paths as they are and drops the space before them).
        js, found = re.subn(rf'from ?"\./{re.escape(LINK)}"', f'from"./{link_name}"', js)
        if not found:
            sys.exit("split-wasm: the main module does not import the split loader")
        for suffix, data in ((".js", js.encode()), ("_bg.wasm", wasm)):
            old, name = stem + suffix, renamed + suffix
            os.remove(os.path.join(staging, old))
            open(os.path.join(staging, name), "wb").write(data)
            html, found = re.subn(
                rf'href="{re.escape(old)}"([^>]*integrity=")[^"]+"',
                lambda m: f'href="{name}"' + m.group(1) + _integrity(data) + '"', html,
            )
            if found != 1:
                sys.exit(f"split-wasm: index.html does not preload {old} with an integrity hash")
        preload = f'<link rel="modulepreload" href="{link_name}" crossorigin="anonymous" integrity="{_integrity(link_data)}">'
        html = html.replace("</head>", preload + "</head>", 1)
        return html, (stem, renamed)
    finally:
        shutil.rmtree(work, ignore_errors=True)

#!/usr/bin/env python3
"""Checks the engine's layers: every `use` of one engine module by another goes down, never up,
and no engine modules import each other in a cycle. Run by `make test`; exits 1 on a breach.

The layers, lowest first (README "How the code is laid out"):

    model   numbers, schedule, years, units, limits, errors, and the data types of every
            calculation; imports nothing of ours
    read    bytes -> grid of cells -> one place that recognises the layout; imports model
    calc    totals, checks, the arithmetic map, netting, gap, reserves, scenarios, risk;
            imports model and read
    write   exports (CSV, long CSV, JSON, XLSX); imports the layers below
    state   undo, paste, saved state, links, worker jobs; imports the layers below

Rules, read from the `use` lines and `crate::engine::`/`super::` paths of every file under
src/engine (a file's `#[cfg(test)]` tests at its foot are left out: a test may build its input
with any layer):

1. A module imports only from its own layer or a lower one.
2. Within a layer, the files import each other without a cycle; the layer's `mod.rs` may use its
   files (it is the layer's front), but no file of the layer may import from its `mod.rs`.
3. Nothing under src/engine imports from the engine's own front (`src/engine/mod.rs`), which
   only re-exports, or from `leptos`, `web_sys`, `wasm_bindgen` or `js_sys`.
4. No file under src/ is over 800 lines, not counting the tests at its foot.

Usage: scripts/layers.py [path to src]   (default: the src/ beside this script)
"""
import os
import re
import sys

LAYERS = ["model", "read", "calc", "write", "state"]
RANK = {name: i for i, name in enumerate(LAYERS)}
MAX_LINES = 800
WEB_CRATES = ("leptos", "web_sys", "wasm_bindgen", "js_sys")


def code_of(text):
    """The file without its tests at the foot and without comments."""
    cut = text.find("#[cfg(test)]")
    if cut >= 0:
        text = text[:cut]
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def expand(prefix, tree):
    """The paths of a use tree: `a::{b, c::{d, e}}` -> a::b, a::c::d, a::c::e."""
    tree = tree.strip()
    if not tree:
        return []
    if tree.startswith("{") and tree.endswith("}"):
        parts, depth, cur = [], 0, ""
        for ch in tree[1:-1]:
            depth += ch == "{"
            depth -= ch == "}"
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        parts.append(cur)
        return [p for part in parts for p in expand(prefix, part)]
    if "::" in tree:
        head, rest = tree.split("::", 1)
        return expand(prefix + [head.strip()], rest)
    return [prefix + [tree.split(" as ")[0].strip()]]


def modules(engine):
    """Module path (tuple, relative to the engine) -> file."""
    found = {}
    for folder, _, files in os.walk(engine):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, engine)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            found[tuple(rel)] = path
    return found


def imports(module, path, known):
    """The engine modules `module` imports, each with the line it is on."""
    text = code_of(open(path, encoding="utf-8").read())
    is_front = path.endswith("mod.rs")
    # The module `super` names: for a mod.rs its parent's parent, else the file's folder.
    own = list(module)
    found = []
    paths = []
    # Inline modules (`mod wire { ... }`): a path inside one is relative to it.
    inline = []
    for m in re.finditer(r"\bmod\s+(\w+)\s*\{", text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        inline.append((m.start(), i, m.group(1)))

    def own_at(pos):
        inner = [name for start, end, name in inline if start <= pos < end]
        return own + inner
    for use in re.finditer(r"\buse\s+([^;]+);", text, re.S):
        line = text.count("\n", 0, use.start()) + 1
        for p in expand([], " ".join(use.group(1).split())):
            paths.append((p, line, own_at(use.start())))
    for inline_path in re.finditer(r"(?<![\w:])((?:super::)+|crate::engine::)([\w:]+)", text):
        line = text.count("\n", 0, inline_path.start()) + 1
        paths.append(
            (
                inline_path.group(1).rstrip(":").split("::") + inline_path.group(2).split("::"),
                line,
                own_at(inline_path.start()),
            )
        )
    for p, line, here in paths:
        p = [x for x in p if x]
        if p and p[0] in WEB_CRATES:
            found.append((("<web>", p[0]), line))
            continue
        if p[:2] == ["crate", "engine"]:
            target = p[2:]
        elif p and p[0] == "super":
            ups = 0
            while ups < len(p) and p[ups] == "super":
                ups += 1
            base = here if is_front or len(here) > len(own) else here[:-1]
            base = base[: len(base) - (ups - 1)] if ups > 1 else base
            target = base + p[ups:]
        elif p and p[0] == "self":
            target = here + p[1:]
        else:
            continue
        # The longest module the path names.
        for n in range(len(target), -1, -1):
            if tuple(target[:n]) in known:
                hit = tuple(target[:n])
                if hit != module:
                    found.append((hit, line))
                break
    return found


def lines_before_tests(path):
    text = open(path, encoding="utf-8").read()
    cut = text.find("#[cfg(test)]")
    if cut >= 0:
        text = text[:cut]
    return text.count("\n") + 1


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")
    engine = os.path.join(src, "engine")
    known = modules(engine)
    problems = []
    edges = {}
    for module, path in sorted(known.items()):
        rel = os.path.relpath(path, os.path.dirname(src))
        if not module:
            continue  # the engine's front re-exports everything
        layer = module[0]
        if layer not in RANK:
            problems.append(f"{rel}: not in a layer folder ({', '.join(LAYERS)})")
            continue
        for target, line in imports(module, path, known):
            where = f"{rel}:{line}"
            if target[0] == "<web>":
                problems.append(f"{where}: the engine imports `{target[1]}` (web code lives in src/ui)")
            elif not target:
                problems.append(f"{where}: imports from the engine's front (src/engine/mod.rs); name the layer's module")
            elif target[0] not in RANK:
                problems.append(f"{where}: imports `{'::'.join(target)}`, which is in no layer")
            elif RANK[target[0]] > RANK[layer]:
                problems.append(
                    f"{where}: `{'::'.join(module)}` ({layer}) imports `{'::'.join(target)}` "
                    f"({target[0]}), a higher layer"
                )
            elif target[0] == layer:
                if len(target) == 1 and len(module) > 1:
                    problems.append(
                        f"{where}: `{'::'.join(module)}` imports its own layer's front "
                        f"`{layer}/mod.rs`; import the file that defines the item"
                    )
                else:
                    edges.setdefault(module, set()).add(target)
    # Cycles among the modules of a layer (depth-first search, each cycle reported once).
    state, stack, seen_cycles = {}, [], set()

    def visit(m):
        state[m] = 1
        stack.append(m)
        for t in sorted(edges.get(m, ())):
            if state.get(t) == 1:
                cycle = stack[stack.index(t):] + [t]
                key = frozenset(cycle)
                if key not in seen_cycles:
                    seen_cycles.add(key)
                    problems.append("cycle: " + " -> ".join("::".join(c) for c in cycle))
            elif state.get(t) is None:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(edges):
        if state.get(m) is None:
            visit(m)
    for folder, _, files in os.walk(src):
        for name in sorted(files):
            if name.endswith(".rs"):
                path = os.path.join(folder, name)
                n = lines_before_tests(path)
                if n > MAX_LINES:
                    rel = os.path.relpath(path, os.path.dirname(src))
                    problems.append(f"{rel}: {n} lines before its tests (at most {MAX_LINES})")
    if problems:
        print("layers: %d problem(s)" % len(problems))
        for p in problems:
            print("  " + p)
        return 1
    layer_files = {l: sum(1 for m in known if m and m[0] == l) for l in LAYERS}
    print(
        "layers: ok: "
        + ", ".join(f"{l} ({layer_files[l]} files)" for l in LAYERS)
        + "; no upward import, no cycle, no file over %d lines" % MAX_LINES
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checks every `#include "..."` of the server against the layer table (README, "Code map").

Each source file belongs to a layer by its folder; a layer may include only the layers the
table allows. A forbidden edge is printed as `file:line: <layer> may not include <header>
(<layer>)` and the exit status is 1. Files in folders the table does not know are errors too,
so a new folder has to be placed in the table first.

usage: check_layers.py [SOURCE_ROOT]   (default: the repository this script is in)
"""
import os
import re
import sys

# Folder -> layer. Domain modules are layers of their own ("module:<name>").
FOLDERS = {
    "server/core": "core",
    "storage": "storage",
    "server/auth": "auth",
    "server/s3": "s3",
    "server/api": "api",
    "server/http": "http",
    "server/ui": "ui",  # the web inspector's embedded assets (leaf)
}
MODULES = ["imports", "contacts", "suppression", "sending", "exports", "control", "jobs"]
for _m in MODULES:
    FOLDERS["server/" + _m] = "module:" + _m

DOMAIN = {"core", "storage", "s3", "auth"}
ALL_MODULES = {"module:" + m for m in MODULES}

# Which layers each layer may include (its own layer always).
ALLOWED = {
    "core": set(),
    "storage": {"core"},
    "auth": {"core"},
    "s3": {"core", "auth"},
    "ui": {"core"},
    "api": {"core", "ui"} | ALL_MODULES,
    "http": {"core", "api", "auth"},
    "main": {"core", "storage", "auth", "s3", "api", "http"} | ALL_MODULES,
}
# A domain module uses core, storage and the sources, plus the public headers of the other
# modules the domain calls for.
MODULE_USES = {
    "imports": {"contacts", "suppression", "jobs"},  # targets apply records to lists; runs are jobs
    "contacts": set(),
    "suppression": set(),
    "sending": {"suppression", "contacts"},  # sending reads suppression and lists
    "exports": {"sending", "jobs"},  # rows come from the captured mail; runs are jobs
    # job control, fixtures of import jobs; fixtures seed identities, configuration sets and
    # templates through the sending services
    "control": {"imports", "jobs", "sending", "exports"},
    "jobs": {"imports"},  # the worker runs import pipelines
}
for _m, _uses in MODULE_USES.items():
    ALLOWED["module:" + _m] = DOMAIN | {"module:" + u for u in _uses}

# Layers that must not see a layer even through other headers: the API and HTTP layers
# compile without storage (domain headers only forward-declare the stores they refer to),
# and HTTP without any domain module.
NOT_EVEN_THROUGH = {
    "api": {"storage"},
    "http": {"storage"} | ALL_MODULES,
}

SOURCE_DIRS = ("server", "storage")
EXTENSIONS = (".cpp", ".hpp", ".inc")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path):
    """The layer of a repository-relative path, or None for a folder the table lacks."""
    if path == "server/main.cpp":
        return "main"
    folder = os.path.dirname(path)
    while folder:
        if folder in FOLDERS:
            return FOLDERS[folder]
        folder = os.path.dirname(folder)
    return None


def includes_of(root, path, cache):
    """The repository headers `path` includes directly (that exist under `root`)."""
    if path not in cache:
        found = []
        full = os.path.join(root, path)
        if os.path.isfile(full):
            with open(full, encoding="utf-8", errors="replace") as f:
                for line in f:
                    match = INCLUDE.match(line)
                    if match and os.path.isfile(os.path.join(root, match.group(1))):
                        found.append(match.group(1))
        cache[path] = found
    return cache[path]


def forbidden_reach(root, path, forbidden, cache):
    """The include chain from `path` to the first header in a `forbidden` layer, or None."""
    seen = {path}
    queue = [(path, [path])]
    while queue:
        current, chain = queue.pop(0)
        for header in includes_of(root, current, cache):
            if header in seen:
                continue
            seen.add(header)
            if layer_of(header) in forbidden:
                return chain + [header]
            queue.append((header, chain + [header]))
    return None


def check(root):
    problems = []
    cache = {}
    for top in SOURCE_DIRS:
        for dirpath, _dirs, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith(EXTENSIONS):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                layer = layer_of(path)
                if layer is None:
                    problems.append(f"{path}:1: folder {os.path.dirname(path)} is not in the "
                                    "layer table (tools/check_layers.py)")
                    continue
                if layer in NOT_EVEN_THROUGH:
                    chain = forbidden_reach(root, path, NOT_EVEN_THROUGH[layer], cache)
                    if chain and len(chain) > 2:  # direct includes are reported below
                        problems.append(f"{path}:1: {layer} reaches {chain[-1]} "
                                        f"({layer_of(chain[-1])}) through "
                                        + " -> ".join(chain[1:-1]))
                with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        match = INCLUDE.match(line)
                        if not match:
                            continue
                        header = match.group(1)
                        target = layer_of(header)
                        if target is None and header.startswith(SOURCE_DIRS):
                            problems.append(f"{path}:{number}: {header} is in a folder the "
                                            "layer table does not know")
                            continue
                        if target is None or target == layer:
                            continue  # same layer, or not ours (tests, third party)
                        if target not in ALLOWED[layer]:
                            problems.append(f"{path}:{number}: {layer} may not include "
                                            f"{header} ({target})")
    return problems


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(here)
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} forbidden include(s); see the layer table in README.md",
              file=sys.stderr)
        return 1
    print("layers ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

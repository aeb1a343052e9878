#!/usr/bin/env python3
"""Checks that the repository's citations and model pages hold together (ctest label docs).

usage: docs_check.py SOURCE_DIR CHECK
  outside-notes  no file of the repository cites the notes that lived beside it (the design and facts notes):
                 everything it cites is inside it, in docs/sources.md or a docs page
  anchors        every docs/sources.md#ANCHOR cited anywhere exists in docs/sources.md as <a id="ANCHOR">, and
                 no anchor is defined twice (fuzz seeds are inputs, not citations: not read; `ANCHOR` itself is the
                 placeholder that texts about citing use)
  model-pages    every docs page about a model has a "Scope and limitations" and a "Validation" section
  readmes        the README.md of each mapped folder names every file and folder in it: its name, `stem.*` or
                 `folder/` (unit tests `*_test.cpp` sit beside their code and are not listed)
Files are the repository's tracked files (git ls-files) or, outside a git checkout, every file but build*/ and
.git/. Prints each offending file:line and exits 1; exits 0 when the check holds.
"""
import os
import re
import subprocess
import sys

# Spelled in two parts so that this file does not cite them itself.
OUTSIDE_NOTES = re.compile(b"(?:FACTS|DESIGN)" + rb"\.md")
CITED_ANCHOR = re.compile(rb"sources\.md#([A-Za-z0-9_-]+)")
DEFINED_ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
# The model pages checked (each has "Scope and limitations" and "Validation" sections).
MODEL_PAGES = ["calibration.md", "cpu-model.md", "data.md", "devices.md", "engine.md", "metrics.md", "ops.md",
               "plan.md",
               "presto.md", "validation.md"]
SECTION = r"^#{2,3} (?:\d+\. )?%s\b"
# The folders whose README.md maps their files.
MAPPED_FOLDERS = ["models", "analysis", "sim", "tests"]


def repo_files(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z"], check=True, capture_output=True).stdout
        files = [p for p in out.decode().split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, dirs, names in os.walk(root):
            dirs[:] = sorted(x for x in dirs if x != ".git" and not (d == root and x.startswith("build")))
            files += [os.path.relpath(os.path.join(d, n), root) for n in sorted(names)]
    for rel in files:
        path = os.path.join(root, rel)
        if os.path.isfile(path) and not os.path.islink(path):
            with open(path, "rb") as f:
                yield rel, f.read()


def line_of(text, pos):
    return text.count(b"\n", 0, pos) + 1


def check_outside_notes(root):
    bad = []
    for rel, text in repo_files(root):
        for m in OUTSIDE_NOTES.finditer(text):
            bad.append(f"{rel}:{line_of(text, m.start())}: cites {m.group().decode()}, which is not in the "
                       "repository: cite docs/sources.md#ANCHOR or the docs page on the subject")
    return bad


def check_anchors(root):
    with open(os.path.join(root, "docs", "sources.md"), encoding="utf-8") as f:
        defined = DEFINED_ANCHOR.findall(f.read())
    bad = [f"docs/sources.md: anchor '{a}' is defined {defined.count(a)} times"
           for a in sorted(set(defined)) if defined.count(a) > 1]
    known = set(defined)
    for rel, text in repo_files(root):
        if rel.startswith("tests/fuzz/corpus/"):
            continue
        for m in CITED_ANCHOR.finditer(text):
            anchor = m.group(1).decode()
            if anchor != "ANCHOR" and anchor not in known:
                bad.append(f"{rel}:{line_of(text, m.start())}: docs/sources.md has no anchor '{anchor}' "
                           f"(it has: {', '.join(sorted(known))})")
    return bad


def check_model_pages(root):
    bad = []
    for page in MODEL_PAGES:
        with open(os.path.join(root, "docs", page), encoding="utf-8") as f:
            text = f.read()
        for section in ("Scope and limitations", "Validation"):
            if not re.search(SECTION % re.escape(section), text, re.M):
                bad.append(f"docs/{page}: no \"{section}\" section (a heading '## {section}' or '## N. {section}')")
    return bad


def check_readmes(root):
    bad = []
    for folder in MAPPED_FOLDERS:
        with open(os.path.join(root, folder, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if name == "README.md" or name.startswith(".") or name.endswith("_test.cpp") or name == "__pycache__":
                continue
            if os.path.isdir(os.path.join(root, folder, name)):
                named = f"{name}/" in readme
            else:
                named = name in readme or f"{name.split('.')[0]}.*" in readme
            if not named:
                bad.append(f"{folder}/README.md: does not name {name} (write `{name}` or its stem `.*` and its role)")
    return bad


CHECKS = {"outside-notes": check_outside_notes, "anchors": check_anchors, "model-pages": check_model_pages,
          "readmes": check_readmes}


def main(argv):
    if len(argv) != 3 or argv[2] not in CHECKS:
        print(__doc__, file=sys.stderr)
        return 2
    bad = CHECKS[argv[2]](argv[1])
    for line in bad:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

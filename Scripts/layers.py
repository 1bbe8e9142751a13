#!/usr/bin/env python3
"""Which folders of Sources/Apus use which: the layer graph of docs/architecture.md.

    python3 Scripts/layers.py [SOURCES]          prints each folder's uses and the two-way pairs
    python3 Scripts/layers.py --check [SOURCES]  exits 1 when a folder uses one above it

A folder uses another when one of its files names a type or a top-level function declared
only there (a name declared in several folders is ambiguous and ignored; so are
names of three letters or fewer). It reads declarations with regular expressions, not a
compiler: good enough to see a layer graph, and a test runs --check so that a new arrow
pointing up fails `swift test`.
"""
import os
import re
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The layers, lowest first. A folder may use folders of its own layer and below, never above.
# Keep in step with docs/architecture.md.
LAYERS = [
    ["JSON"],
    ["HTTP"],
    ["Validation"],
    ["Observability"],
    ["Concurrency"],
    ["Forms"],
    ["Server"],
    ["Models"],
    ["WebSockets"],
    # A dependency is a parameter that has parameters: the two folders are one layer.
    ["Parameters", "Dependencies"],
    ["Security", "Middleware", "Responses"],
    ["Routing"],
    ["Pipeline"],
    ["OpenAPI"],
    ["Docs"],
    ["Application"],
    ["(root)"],
]

# Names that a nested type shares with the standard library or with generic parameters.
SHADOWED = {"Task", "Chunks", "Value", "Element", "Output", "Failure", "State", "Kind", "Work", "Pick", "DecodingState"}

DECLARATION = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private|final|static|override|"
    r"mutating|nonisolated|convenience|indirect)(?:\([^)]*\))?\s+)*"
    r"(class|struct|enum|protocol|actor|typealias|func|init)\s*([A-Za-z_][A-Za-z0-9_]*)?")
STRIP = re.compile(r'//.*$|"(?:[^"\\]|\\.)*"')


def folder_of(path, sources):
    relative = os.path.relpath(path, sources)
    parts = relative.split(os.sep)
    return parts[0] if len(parts) > 1 else "(root)"


def swift_files(sources):
    for directory, _, names in os.walk(sources):
        for name in sorted(names):
            if name.endswith(".swift"):
                yield os.path.join(directory, name)


def graph(sources):
    declared = defaultdict(set)  # name -> folders
    texts = {}
    for path in swift_files(sources):
        folder = folder_of(path, sources)
        lines = open(path, encoding="utf-8").read().split("\n")
        texts[path] = (folder, "\n".join(STRIP.sub("", line) for line in lines))
        for line in lines:
            match = DECLARATION.match(line)
            if not match or not match.group(2) or len(match.group(2)) <= 3:
                continue
            kind, top_level = match.group(1), not line[:1].isspace()
            # Types at any depth; functions and type aliases only at the top level (a method's or
            # an associated type's name says nothing about where it is used from).
            if kind in ("class", "struct", "enum", "protocol", "actor") or top_level and kind in ("func", "typealias"):
                declared[match.group(2)].add(folder)
    owner = {name: next(iter(folders)) for name, folders in declared.items() if len(folders) == 1 and name not in SHADOWED}
    word = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
    uses = defaultdict(lambda: defaultdict(set))  # folder -> folder -> names
    for path, (folder, text) in texts.items():
        for name in set(word.findall(text)):
            target = owner.get(name)
            if target and target != folder:
                uses[folder][target].add(name)
    return uses


def rank(folder):
    for index, layer in enumerate(LAYERS):
        if folder in layer:
            return index
    return None


def main():
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    sources = arguments[0] if arguments else os.path.join(ROOT, "Sources/Apus")
    uses = graph(sources)
    folders = sorted(set(uses) | {target for targets in uses.values() for target in targets})
    if "--check" in sys.argv:
        problems = []
        for folder in folders:
            if rank(folder) is None:
                problems.append(f"{folder}: not in a layer of Scripts/layers.py")
                continue
            for target, names in sorted(uses[folder].items()):
                if rank(target) is not None and rank(target) > rank(folder):
                    problems.append(f"{folder} uses {target} (above it): {', '.join(sorted(names)[:6])}")
        for problem in problems:
            print(problem, file=sys.stderr)
        sys.exit(1 if problems else 0)
    for folder in folders:
        targets = uses[folder]
        print(f"{folder} -> " + ", ".join(f"{target} ({len(names)})" for target, names in sorted(targets.items())))
    pairs = sorted({tuple(sorted((a, b))) for a in uses for b in uses[a] if a in uses.get(b, {})})
    both = {folder for pair in pairs for folder in pair}
    print(f"\n{len(folders)} folders; {len(pairs)} pairs use each other both ways; {len(both)} folders in such a pair")
    for a, b in pairs:
        print(f"  {a} <-> {b}: {', '.join(sorted(uses[a][b])[:4])} / {', '.join(sorted(uses[b][a])[:4])}")


if __name__ == "__main__":
    main()

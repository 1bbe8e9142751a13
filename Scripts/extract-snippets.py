#!/usr/bin/env python3
"""Writes every Swift snippet of the README, the DocC articles, docs/ and the `///` doc comments
of the public modules (Apus, ApusTesting, ApusPrometheus) into one file of the `ApusSnippets` target, so that `swift build` (and so `swift test` and CI) fails when a
snippet a user may copy stops compiling.

    python3 Scripts/extract-snippets.py          writes Tests/Snippets/Snippets.swift (and the
                                                 OpenTelemetry integration's snippets file)
    python3 Scripts/extract-snippets.py --check  exits 1 when that file is stale

Each snippet becomes an `enum` of its own: its declarations (types, functions, `@Model`s)
inside it, its statements in a `static func run()`. Names a snippet uses without declaring
them (`app`, `store`, `database`...) come from `Tests/Snippets/SnippetContext.swift`, written
by hand. The imports of every snippet are gathered at the top of the file. The target is built,
never run, and uses Apus without package access, as an app does.
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "Tests", "Snippets", "Snippets.swift")
# Snippets that import the OpenTelemetry integration (a package of its own) are compiled by its
# test target instead; they declare what they use.
INTEGRATION_OUTPUT = os.path.join(ROOT, "Integrations", "OpenTelemetry", "Tests", "ApusOpenTelemetryTests", "Snippets.swift")
SOURCES = ["README.md"] + sorted(
    os.path.relpath(path, ROOT)
    for pattern in [("Sources", "Apus", "Apus.docc", "*.md"), ("docs", "*.md")]
    for path in glob.glob(os.path.join(ROOT, *pattern))
)
DOC_COMMENTED = sorted(
    os.path.relpath(path, ROOT)
    for pattern in [
        ("Sources", "Apus", "**", "*.swift"), ("Sources", "ApusTesting", "*.swift"), ("Sources", "ApusPrometheus", "*.swift"),
        ("Integrations", "OpenTelemetry", "Sources", "ApusOpenTelemetry", "*.swift"),
    ]
    for path in glob.glob(os.path.join(ROOT, *pattern), recursive=True)
)
DOC_BLOCK = re.compile(r"^[ \t]*/// ```swift\n((?:^[ \t]*///.*\n)*?)^[ \t]*/// ```", re.M)
ATTRIBUTES_ONLY = re.compile(r"(@\w+(\([^)]*\))?\s*)+")
DECLARATION = re.compile(r"^(@\w+|struct |enum |final class |class |actor |protocol |func |typealias )")


def snippets(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as file:
        text = file.read()
    if path.endswith(".swift"):
        # A doc comment's block: its lines without the `///` and the one space after it.
        return [
            "".join(re.sub(r"^[ \t]*/// ?", "", line) for line in match.group(1).splitlines(True))
            for match in DOC_BLOCK.finditer(text)
        ]
    # A package manifest is checked by SwiftPM where it is used, not here.
    blocks = [match.group(1) for match in re.finditer(r"```swift\n(.*?)```", text, re.S)]
    return [block for block in blocks if "import PackageDescription" not in block]


def split(code):
    """The snippet's imports, declarations and statements, each a list of lines."""
    imports, declarations, statements = [], [], []
    depth = 0
    target = None
    for line in code.splitlines():
        if depth == 0:
            if line.startswith("import "):
                imports.append(line.strip())
                continue
            if DECLARATION.match(line):
                target = declarations
            elif target is not declarations or not line.strip():
                target = statements
        if target is declarations and depth == 0:
            line = re.sub(r"^((?:@\w+ )*)func ", r"\1static func ", line)
        target.append(line)
        depth += line.count("{") - line.count("}")
        # A line of attributes only (`@Model`) leads the declaration on the next line.
        if depth == 0 and target is declarations and not ATTRIBUTES_ONLY.fullmatch(line.strip()):
            target = None
    return imports, declarations, statements


def render(integration=False):
    """The snippets file of the root package's snippet target, or (`integration`) of the OpenTelemetry integration's tests."""
    imports = {"import Apus"}
    bodies = []
    for path in SOURCES + DOC_COMMENTED:
        for index, code in enumerate(snippets(path)):
            short = re.sub(r"^(Integrations/OpenTelemetry/)?Sources/(Apus/Apus\.docc/)?", "", os.path.splitext(path)[0])
            name = re.sub(r"\W", "_", short)
            snippet_imports, declarations, statements = split(code)
            if ("import ApusOpenTelemetry" in snippet_imports) != integration:
                continue
            imports.update(snippet_imports)
            lines = [f"/// {path}, Swift block {index + 1}.", f"enum Snippet_{name}_{index + 1} {{"]
            lines += ["    " + line if line else "" for line in declarations]
            lines.append("    static func run() async throws {")
            lines += ["        " + line if line else "" for line in statements]
            lines += ["    }", "}", ""]
            bodies.append("\n".join(lines))
    header = [
        "// Written by Scripts/extract-snippets.py from the README, the DocC articles, docs/ and doc comments: do not edit.",
        "// A snippet that stops compiling fails the build; fix it where it is written, then run the script.",
        "",
    ]
    header += sorted(imports)
    return "\n".join(header) + "\n\n" + "\n".join(bodies)


def main():
    for output, text in [(OUTPUT, render()), (INTEGRATION_OUTPUT, render(integration=True))]:
        if "--check" in sys.argv:
            with open(output, encoding="utf-8") as file:
                if file.read() != text:
                    print(f"{os.path.relpath(output, ROOT)} is stale: run python3 Scripts/extract-snippets.py")
                    sys.exit(1)
            continue
        os.makedirs(os.path.dirname(output), exist_ok=True)
        with open(output, "w", encoding="utf-8") as file:
            file.write(text)


if __name__ == "__main__":
    main()

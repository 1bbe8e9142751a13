#!/usr/bin/env python3
"""Builds each mistake of Tests/Diagnostics against Apus and prints the first error it gives.

    python3 Scripts/diagnostics.py [--scratch-path DIR] [--check | --write]

One package in a temporary folder depends on this checkout by path; each file becomes its
`main.swift` in turn and is built (`swift build`, incremental: a few seconds a file once Apus
is built in the scratch folder). A file that compiles is run, and the error it stops with is
its diagnostic (the registration errors). `--write` records the first line of each in
Tests/Diagnostics/expected.json; `--check` exits 1 when one differs from it.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Tests", "Diagnostics")
EXPECTED = os.path.join(CORPUS, "expected.json")

MANIFEST = """// swift-tools-version: 6.2
import PackageDescription
let package = Package(
    name: "mistake",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "apus", path: "%s")],
    targets: [.executableTarget(name: "Mistake", dependencies: [.product(name: "Apus", package: "apus")])]
)
"""


def first_error(output):
    """The first `error:` line (without the file's path), and the notes right under it."""
    lines = output.splitlines()
    for index, line in enumerate(lines):
        match = re.search(r"error: (.*)", line)
        if match and "emit-module command failed" not in line and "compile command failed" not in line:
            return match.group(1).strip()
    return None


def main():
    arguments = sys.argv[1:]
    scratch = None
    if "--scratch-path" in arguments:
        scratch = os.path.abspath(arguments[arguments.index("--scratch-path") + 1])
    # One folder for every run: a build folder shared with another package (--scratch-path)
    # keeps its state by the root package's path.
    package = os.path.join(tempfile.gettempdir(), "apus-diagnostics")
    shutil.rmtree(package, ignore_errors=True)
    os.makedirs(os.path.join(package, "Sources", "Mistake"))
    with open(os.path.join(package, "Package.swift"), "w") as manifest:
        manifest.write(MANIFEST % ROOT)
    build = ["swift", "build"] + (["--scratch-path", scratch] if scratch else [])
    results = {}
    try:
        for name in sorted(os.listdir(CORPUS)):
            if not name.endswith(".swift"):
                continue
            shutil.copy(os.path.join(CORPUS, name), os.path.join(package, "Sources", "Mistake", "main.swift"))
            # The previous file's object and executable go first: their commands then run again
            # (a build folder shared with another package can miss the new file's change).
            build_folder = scratch or os.path.join(package, ".build")
            for leftover in ["Mistake", os.path.join("Mistake.build", "main.swift.o")]:
                path = os.path.join(build_folder, "debug", leftover)
                if os.path.exists(path):
                    os.remove(path)
            built = subprocess.run(build, cwd=package, capture_output=True, text=True, timeout=900)
            executable = os.path.join(build_folder, "debug", "Mistake")
            if built.returncode == 0 and not os.path.exists(executable):
                # Nothing was built: SwiftPM did not see the new file; once more.
                built = subprocess.run(build, cwd=package, capture_output=True, text=True, timeout=900)
            if built.returncode != 0:
                results[name] = {"kind": "compile error", "message": first_error(built.stdout + built.stderr)}
            else:
                ran = subprocess.run([executable], cwd=package, capture_output=True, text=True, timeout=60)
                message = (ran.stderr + ran.stdout).strip().splitlines()
                results[name] = {
                    "kind": "registration error" if ran.returncode != 0 else "no error",
                    "message": next((line for line in message if "route" in line), message[-1] if message else None),
                }
            print(f"{name}: {results[name]['kind']}: {results[name]['message']}", flush=True)
    finally:
        shutil.rmtree(package, ignore_errors=True)
    if "--write" in arguments:
        with open(EXPECTED, "w") as file:
            json.dump(results, file, indent=2, sort_keys=True)
            file.write("\n")
    if "--check" in arguments:
        with open(EXPECTED) as file:
            expected = json.load(file)
        if expected != results:
            for name in sorted(set(expected) | set(results)):
                if expected.get(name) != results.get(name):
                    print(f"changed: {name}: {expected.get(name)} -> {results.get(name)}")
            sys.exit(1)


if __name__ == "__main__":
    main()

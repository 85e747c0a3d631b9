#!/usr/bin/env python3
"""Replaces fully qualified type names written inline in Java code by imports.

Usage: tools/shorten-names.py FILE.java...

A name is left qualified when its simple name would clash: another import of that
simple name, a type of that name declared in the file or in its package, or a
second qualified name with the same simple name in the file. Comments and string
literals are not touched. Run the formatter afterwards to order the imports.
"""
import os
import re
import sys

ROOTS = r"(?:java|javax|jakarta|org|com|io|net|picocli|sun)"
QUALIFIED = re.compile(r"(?<![\w.])(" + ROOTS + r"(?:\.[a-z_][a-z0-9_]*)*)\.([A-Z][A-Za-z0-9_]*)\b")
DECLARED = re.compile(r"\b(?:class|interface|enum|record|@interface)\s+([A-Z]\w*)")


def code_spans(text):
    """Yields (start, end) of the parts of text that are code: not comments, strings or chars."""
    i, n, start = 0, len(text), 0
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            yield start, i
            i = text.find("\n", i)
            i = n if i < 0 else i
            start = i
        elif text.startswith("/*", i):
            yield start, i
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            start = i
        elif text.startswith('"""', i):
            yield start, i
            j = text.find('"""', i + 3)
            i = n if j < 0 else j + 3
            start = i
        elif c == '"' or c == "'":
            yield start, i
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            start = i
        else:
            i += 1
    yield start, n


def package_types(path):
    d = os.path.dirname(path)
    names = set()
    for root in {d, d.replace("/src/test/", "/src/main/"), d.replace("/src/main/", "/src/test/")}:
        if os.path.isdir(root):
            names |= {f[:-5] for f in os.listdir(root) if f.endswith(".java")}
    return names


def shorten(path):
    text = open(path, encoding="utf-8").read()
    pkg = re.search(r"^package\s+([\w.]+);", text, re.M)
    pkg = pkg.group(1) if pkg else ""
    imports = dict()  # simple name -> qualified
    for m in re.finditer(r"^import\s+(?!static)([\w.]+)\.(\w+);", text, re.M):
        imports[m.group(2)] = m.group(1) + "." + m.group(2)
    header_end = 0
    for m in re.finditer(r"^(?:package|import)\s[^;]+;", text, re.M):
        header_end = m.end()
    in_file = set(DECLARED.findall(text))
    declared = in_file | package_types(path)
    java_lang = {"String", "Object", "Integer", "Long", "Math", "System", "Thread", "Runtime", "Process", "Character",
                 "Boolean", "Double", "Float", "Short", "Byte", "Void", "Class", "Exception", "Error", "Record", "Enum",
                 "Iterable", "Runnable", "Number", "Override", "StringBuilder", "Throwable", "Module", "Package",
                 "ProcessBuilder", "Compiler", "Deprecated", "AutoCloseable", "Comparable", "CharSequence", "Appendable"}
    chosen = {}  # simple -> qualified
    new_imports = set()
    out = []
    last = header_end
    out.append(text[:header_end])
    for start, end in code_spans(text):
        if end <= header_end:
            continue
        start = max(start, header_end)
        out.append(text[last:start])
        chunk = text[start:end]

        def repl(m):
            qual_pkg, simple = m.group(1), m.group(2)
            qualified = qual_pkg + "." + simple
            if qual_pkg == "java.lang":
                return simple if simple not in declared and simple not in imports else m.group(0)
            if imports.get(simple) == qualified or chosen.get(simple) == qualified:
                return simple
            if qual_pkg == pkg:
                return simple if simple not in imports and simple not in in_file else m.group(0)
            if simple in imports or simple in chosen or simple in declared or simple in java_lang:
                return m.group(0)
            chosen[simple] = qualified
            new_imports.add(qualified)
            return simple

        out.append(QUALIFIED.sub(repl, chunk))
        last = end
    out.append(text[last:])
    result = "".join(out)
    if new_imports:
        lines = "".join("import " + q + ";\n" for q in sorted(new_imports))
        result = result[:header_end] + "\n" + lines.rstrip("\n") + result[header_end:]
    if result != text:
        open(path, "w", encoding="utf-8").write(result)
        return True
    return False


if __name__ == "__main__":
    changed = sum(shorten(p) for p in sys.argv[1:])
    print(f"{changed} file(s) changed", file=sys.stderr)

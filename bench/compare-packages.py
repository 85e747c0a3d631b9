#!/usr/bin/env python3
"""Compares two apt Packages files field for field (bench/real-corpus.sh: ppaforge's against reprepro's).

Each entry is matched by (Package, Version, Architecture); every field of every entry must have the same value in
both (field order aside). Prints the entry count and each difference; exits 1 when there is any.
usage: compare-packages.py OURS THEIRS
"""
import sys


def entries(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for stanza in text.split("\n\n"):
        if not stanza.strip():
            continue
        fields = {}
        name = None
        for line in stanza.split("\n"):
            if line.startswith((" ", "\t")) and name:
                fields[name] += "\n" + line
            else:
                name, _, value = line.partition(":")
                fields[name] = value.strip()
        out[(fields.get("Package"), fields.get("Version"), fields.get("Architecture"))] = fields
    return out


def main():
    ours, theirs = entries(sys.argv[1]), entries(sys.argv[2])
    problems = []
    for key in sorted(set(ours) | set(theirs), key=str):
        if key not in ours or key not in theirs:
            problems.append(f"{'/'.join(map(str, key))}: only in {'ours' if key in ours else 'theirs'}")
            continue
        a, b = ours[key], theirs[key]
        for field in sorted(set(a) | set(b)):
            if a.get(field) != b.get(field):
                problems.append(f"{'/'.join(key)}: {field}: ours {a.get(field)!r}, theirs {b.get(field)!r}")
    fields = sum(len(f) for f in ours.values())
    print(f"{len(ours)} entries, {fields} fields compared, {len(problems)} differences")
    for p in problems[:20]:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

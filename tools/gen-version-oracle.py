#!/usr/bin/env python3
"""Writes the version-order fixture used by VersionOracleTest, with dpkg as the judge.

Pairs come from a real Debian Packages index (this machine's apt lists, after
`apt-get update`) plus generated adversarial pairs. Every verdict is the answer of
`dpkg --compare-versions`; validity verdicts are `dpkg --validate-version`'s exit
status. ppaforge's own code plays no part in making this fixture.

usage: tools/gen-version-oracle.py [OUT_DIR]   (default debian/src/test/resources/oracle)
"""
import glob, os, random, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "debian", "src", "test", "resources", "oracle")
rng = random.Random(20261125)


def packages_versions():
    lists = sorted(glob.glob("/var/lib/apt/lists/*_main_binary-amd64_Packages*"), key=os.path.getsize)
    if not lists:
        sys.exit("no Packages index under /var/lib/apt/lists: run apt-get update first")
    text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", lists[-1]],
                          check=True, capture_output=True, text=True).stdout
    versions = set()
    for line in text.splitlines():
        if line.startswith("Version: "):
            versions.add(line[9:].strip())
        elif line.startswith("Source: ") and "(" in line:
            versions.add(line.split("(", 1)[1].rstrip(")").strip())
    return sorted(versions), lists[-1]


def adversarial():
    out = []
    pieces = ["~", "~~", "~a", "a", "+", ".", "+b1", "~rc1", "~beta", "z", "Z", "A", "0", "00", "1",
              "+dfsg", ".1", "~~a", "+really", "-1", "-0", "-1~bpo1", "-0ppa1", "ubuntu1", "build1"]
    bases = ["1", "1.0", "1.01", "1.1", "0.9", "2", "10", "1.0.0", "01", "9"]
    for _ in range(1500):
        a = rng.choice(bases) + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
        b = rng.choice(bases) + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
        out.append((a, b))
    for _ in range(400):  # long digit runs (timestamps, 20-40 digits), leading zeros
        n = rng.randint(19, 40)
        x = str(rng.randint(10 ** (n - 1), 10 ** n - 1))
        y = list(x)
        y[rng.randrange(n)] = rng.choice("0123456789")
        z = "".join(y)
        out.append(("1.0+git" + x, "1.0+git" + z))
        out.append((x, "0" * rng.randint(0, 3) + z))
        out.append(("2:" + x + "-1", "2:" + x + "-1.0" + rng.choice(["", "0", "1"])))
    for _ in range(400):  # epochs
        e1, e2 = rng.randint(0, 3), rng.randint(0, 3)
        v = rng.choice(bases) + rng.choice(pieces)
        w = rng.choice(bases) + rng.choice(pieces)
        a = (f"{e1}:" if e1 or rng.random() < 0.5 else "") + v
        b = (f"{e2}:" if e2 or rng.random() < 0.5 else "") + w
        out.append((a, b))
    for _ in range(400):  # letters versus + . ~ at the same position
        stem = rng.choice(bases)
        c1, c2 = rng.sample(list("abzAZ+.~") + ["", "-", ":"], 2)
        tail = rng.choice(["", "1", "a", "~", "+1"])
        out.append((stem + c1 + tail, stem + c2 + tail))
    fixed = [("1.0", "1.0-0"), ("0:1.0", "1.0"), ("1.01", "1.1"), ("1.0~rc1", "1.0"), ("1.0", "1.0+b1"),
             ("1.2~git20261125.1234.abc1234-0ppa1", "1.2-0ppa1"), ("1.0-beta-1", "1.0-beta-2"),
             ("1~~", "1~~a"), ("1~~a", "1~"), ("1~", "1"), ("1", "1a"), ("1a", "1+"), ("1.", "1.0"),
             ("1a", "1a0"), ("1:2:3", "1:2:3-0"), ("0", "00"), ("99999999999999999999", "100000000000000000000")]
    return fixed + out


def dpkg_valid(v):
    return subprocess.run(["dpkg", "--validate-version", v], capture_output=True).returncode == 0


def dpkg_compare(pair):
    a, b = pair
    if subprocess.run(["dpkg", "--compare-versions", a, "lt", b], capture_output=True).returncode == 0:
        return "<"
    if subprocess.run(["dpkg", "--compare-versions", a, "eq", b], capture_output=True).returncode == 0:
        return "="
    return ">"


def main():
    real, source = packages_versions()
    pairs = []
    for i in range(len(real) - 1):  # neighbours in string order share prefixes
        if i % max(1, len(real) // 6000) == 0:
            pairs.append((real[i], real[i + 1]))
    while len(pairs) < 11000:
        pairs.append(tuple(rng.sample(real, 2)))
    generated = adversarial()
    with ThreadPoolExecutor(max_workers=4) as pool:
        gen_versions = sorted({v for p in generated for v in p})
        valid = dict(zip(gen_versions, pool.map(dpkg_valid, gen_versions)))
        generated = [p for p in generated if valid[p[0]] and valid[p[1]]]
        pairs += generated
        verdicts = list(pool.map(dpkg_compare, pairs, chunksize=64))
        bad = ["", "a1.0", "1:a", "1.0 x", ":1", "1.0-", "1_0", "1.0-a_b", "-1", "1:", "a:1.0", "1.0-1:2",
               "1.0-a-b", "1:2:3", "1.0-~", "99999999999:1", "2147483647:1", "2147483648:1", "1!0", "1.0-+",
               "1.0 ", " 1.0", "1.0-1-", "1-2-3", "0:0", "1.0~~", "1é", "1,0"]
        candidates = sorted(set(bad + gen_versions[:200] + real[:50]))
        validity = list(pool.map(dpkg_valid, candidates))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "version-pairs.tsv"), "w") as f:
        f.write(f"# dpkg --compare-versions verdicts; {len(pairs)} pairs; real versions from {os.path.basename(source)}\n")
        f.write("# columns: A<TAB>verdict<TAB>B  (verdict is <, = or > as dpkg orders A against B)\n")
        for (a, b), v in zip(pairs, verdicts):
            f.write(f"{a}\t{v}\t{b}\n")
    with open(os.path.join(OUT, "version-validity.tsv"), "w") as f:
        f.write("# dpkg --validate-version verdicts: valid or invalid<TAB>string (a string may be empty)\n")
        for v, ok in zip(candidates, validity):
            f.write(f"{'valid' if ok else 'invalid'}\t{v}\n")
    print(f"{len(pairs)} pairs ({len(generated)} generated), {len(candidates)} validity cases -> {OUT}")


if __name__ == "__main__":
    main()

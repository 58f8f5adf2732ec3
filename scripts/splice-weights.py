#!/usr/bin/env python3
"""Replaces, in a committed weight file, the functions that a partial benchmark run measured
again (scripts/benchmark.sh with BENCH_EXTRINSICS=...):

    python3 scripts/splice-weights.py PARTIAL TARGET

Every `fn name(..) -> Weight { .. }` of PARTIAL (with the `///` storage comments above it)
replaces the function of the same name in TARGET, in each implementation block the two files
share (`SubstrateWeight<T>` and `()` in Palisade's template; the single `WeightInfo<T>` impl
of the CLI's default template). A function TARGET lacks is an error: add it to the trait and
to both impls first. TARGET's header gets a line naming the functions and the build that
re-measured them, so a reader knows which numbers come from which run."""
import re
import sys
from pathlib import Path

FN = re.compile(r"((?:\t///[^\n]*\n)*)\tfn (\w+)\(([^)]*)\) -> Weight \{\n.*?\n\t\}\n", re.S)


def blocks(text: str):
    """[(impl header, start, end)] of the `impl ... {` blocks that hold weight functions."""
    out = []
    for m in re.finditer(r"^impl[^\n]*WeightInfo for [^\n]*\{\n", text, re.M):
        start = m.end()
        end = text.find("\n}\n", start)
        out.append((m.group(0).strip(), start, end + 1))
    return out


def kind(header: str) -> str:
    return "unit" if "for ()" in header else "runtime"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    partial, target = Path(sys.argv[1]).read_text(), Path(sys.argv[2])
    text = target.read_text()
    replaced = set()
    for header, start, end in blocks(partial):
        new = {m.group(2): m.group(0) for m in FN.finditer(partial[start:end])}
        spans = [b for b in blocks(text) if kind(b[0]) == kind(header)]
        if not spans:
            sys.exit(f"{target}: no `{header}` block")
        _, tstart, tend = spans[0]
        body = text[tstart:tend]
        for name, code in new.items():
            pattern = re.compile(r"(?:\t///[^\n]*\n)*\tfn " + name + r"\([^)]*\) -> Weight \{\n.*?\n\t\}\n", re.S)
            if not pattern.search(body):
                sys.exit(f"{target}: no `fn {name}` in `{header}`")
            body = pattern.sub(lambda _m: code, body, count=1)
            replaced.add(name)
        text = text[:tstart] + body + text[tend:]
    build = re.search(r"^// Built by [^\n]*\n(?:// [^\n]*\n){0,2}", partial, re.M)
    note = (
        f"// Re-measured in a later run ({', '.join(sorted(replaced))}): "
        + (" ".join(line[3:] for line in build.group(0).splitlines()) if build else "see the run's log")
        + "\n"
    )
    first_blank = text.find("\n\n")
    text = text[: first_blank + 1] + note + text[first_blank + 1 :]
    target.write_text(text)
    print(f"{target}: replaced {', '.join(sorted(replaced))}")


if __name__ == "__main__":
    main()

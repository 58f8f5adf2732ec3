#!/usr/bin/env python3
"""Prints every generated weight of Palisade's pallets as a multiple of
`pallet_balances::transfer_keep_alive`, from the files `scripts/benchmark.sh` wrote.

ref_time = base + reads * R + writes * W with ParityDB's R/W (the runtime's DbWeight);
components are evaluated at their maximum benchmarked value."""
import re
import sys
from pathlib import Path

READ, WRITE = 8_000_000, 50_000_000  # frame_support ParityDbWeight, picoseconds


def weights(path: Path):
    text = path.read_text()
    impl = text.split("impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T>", 1)[-1]
    impl = impl.split("impl WeightInfo for ()", 1)[0]
    out = {}
    for m in re.finditer(r"((?:\s*///[^\n]*\n)*)\s*fn (\w+)\(([^)]*)\) -> Weight \{(.*?)\n\t\}", impl, re.S):
        doc, name, _args, body = m.groups()
        ranges = {r[0]: int(r[2]) for r in re.findall(r"component `(\w+)` is `\[(\d+), (\d+)\]`", doc)}
        num = lambda s: int(s.replace("_", ""))
        total = num(re.search(r"Weight::from_parts\(([\d_]+),", body).group(1))
        for slope, comp in re.findall(r"Weight::from_parts\(([\d_]+), 0\)\.saturating_mul\((\w+)\.into", body):
            total += num(slope) * ranges.get(comp, 0)
        r = re.search(r"reads\(([\d_]+)_u64\)\)", body)
        w = re.search(r"writes\(([\d_]+)_u64\)\)", body)
        total += (num(r.group(1)) if r else 0) * READ + (num(w.group(1)) if w else 0) * WRITE
        for slope, comp in re.findall(r"reads\(\(([\d_]+)_u64\)\.saturating_mul\((\w+)", body):
            total += num(slope) * ranges.get(comp, 0) * READ
        for slope, comp in re.findall(r"writes\(\(([\d_]+)_u64\)\.saturating_mul\((\w+)", body):
            total += num(slope) * ranges.get(comp, 0) * WRITE
        out[name] = (total, ranges)
    return out


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    ref = weights(root / "target-bench/pallet_balances_weights.rs")["transfer_keep_alive"][0]
    print(f"Reference: Balances::transfer_keep_alive = {ref / 1e6:.1f} µs (ref_time incl. DB)\n")
    print("| pallet | call | ref_time (µs) | × transfer_keep_alive | components at max |")
    print("|---|---|---|---|---|")
    for f in sorted(root.glob("pallets/*/src/weights.rs")):
        if "PLACEHOLDER" in f.read_text():
            continue
        for name, (w, ranges) in weights(f).items():
            comps = ", ".join(f"{k}={v}" for k, v in ranges.items())
            print(f"| {f.parts[-3]} | {name} | {w / 1e6:.1f} | {w / ref:.2f} | {comps} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Epoch-transition cost from the generated weights of pallet-consumers (and the per-epoch hooks
of operators and pools), as a fraction of the block's maximum weight (2 s of ref_time).

cost(c consumers, o operators each, p pool backings each) =
    start_epoch + c * process_consumer(o, o * p)
Components beyond the benchmarked range are extrapolated linearly (the weights are linear by
construction); the runtime caps one consumer at MAX_OPERATORS_PER_CONSUMER = 32 operators, so
the 1,000-operator rows show what a larger cap would cost. Work above the per-block budget
(60% of a block) is carried over to the following blocks by the consumers pallet."""
import re
import sys
from pathlib import Path

READ, WRITE = 8_000_000, 50_000_000  # ParityDbWeight, ps
MAX_BLOCK = 2_000_000_000_000  # ps: 2 s
BUDGET = 0.60


def parse(path):
    text = Path(path).read_text()
    impl = text.split("for SubstrateWeight<T>", 1)[-1].split("impl WeightInfo for ()", 1)[0]
    fns = {}
    for m in re.finditer(r"fn (\w+)\(([^)]*)\) -> Weight \{(.*?)\n\t\}", impl, re.S):
        name, _args, body = m.groups()
        n = lambda s: int(s.replace("_", ""))
        base = n(re.search(r"Weight::from_parts\(([\d_]+),", body).group(1))
        slopes = {c: n(s) for s, c in re.findall(r"from_parts\(([\d_]+), 0\)\.saturating_mul\((\w+)\.into", body)}
        r = re.search(r"reads\(([\d_]+)_u64\)\)", body)
        w = re.search(r"writes\(([\d_]+)_u64\)\)", body)
        base += (n(r.group(1)) if r else 0) * READ + (n(w.group(1)) if w else 0) * WRITE
        for s, c in re.findall(r"reads\(\(([\d_]+)_u64\)\.saturating_mul\((\w+)", body):
            slopes[c] = slopes.get(c, 0) + n(s) * READ
        for s, c in re.findall(r"writes\(\(([\d_]+)_u64\)\.saturating_mul\((\w+)", body):
            slopes[c] = slopes.get(c, 0) + n(s) * WRITE
        fns[name] = (base, slopes)
    return fns


def cost(fn, **comps):
    base, slopes = fn
    return base + sum(slopes.get(k, 0) * v for k, v in comps.items())


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    w = parse(root / "pallets/consumers/src/weights.rs")
    start = cost(w["start_epoch"])
    print(f"start_epoch: {start / 1e9:.3f} ms; block max 2000 ms, transition budget {BUDGET:.0%} per block\n")
    print("| consumers | operators each | pools per operator | weight (ms) | × block max | blocks needed |")
    print("|---|---|---|---|---|---|")
    for c in (10, 100):
        for o in (100, 1000):
            for p in (1,):
                total = start + c * cost(w["process_consumer"], o=o, p=o * p)
                frac = total / MAX_BLOCK
                blocks = max(1, -(-total // int(MAX_BLOCK * BUDGET)))
                print(f"| {c} | {o} | {p} | {total / 1e9:.1f} | {frac:.2f} | {blocks} |")
    pc = w["process_consumer"]
    base = cost(pc)
    per_op = cost(pc, o=1) - base
    per_backing = cost(pc, p=1) - base
    print(f"\nprocess_consumer = {base / 1e9:.1f} ms + {per_op / 1e9:.2f} ms/operator"
          f" + {per_backing / 1e9:.3f} ms/pool backing (DB included): linear in"
          " consumers x (operators + backings).")


if __name__ == "__main__":
    main()

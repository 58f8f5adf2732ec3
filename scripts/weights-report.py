#!/usr/bin/env python3
"""Prints every generated weight of the runtime as a multiple of
`pallet_balances::transfer_keep_alive`, from the committed weight files that
`scripts/benchmark.sh` writes in one run: Palisade's pallets (pallets/*/src/weights.rs) and the
frame pallets the runtime takes from runtime/src/weights/. Works from a fresh clone:

    python3 scripts/weights-report.py [repo root] [--markdown]

ref_time = base + reads * R + writes * W with ParityDB's R/W (the runtime's DbWeight);
components are evaluated at their maximum benchmarked value. Two ratios are printed:
- "call": the call's weight over transfer_keep_alive's (what the weight files say);
- "in a block": with what every signed transaction pays on top of its call added to both: the
  extrinsic base weight and the weights of the runtime's transaction extensions (nonce, era,
  genesis, versions, block weight, fee; runtime/src/weights/frame_system_extensions.rs and
  pallet_transaction_payment.rs, same run), i.e. how many transfers fit in a block for each
  such call (what `payment_queryInfo` and a full block show)."""
import re
import sys
from pathlib import Path

READ, WRITE = 8_000_000, 50_000_000  # frame_support ParityDbWeight, picoseconds
# frame_support's ExtrinsicBaseWeight (stable2609), picoseconds: used only if the run's own
# runtime/src/weights/extrinsic_weights.rs (`benchmark overhead`) is missing.
UPSTREAM_EXTRINSIC_BASE = 108_157_000
# The runtime's TxExtension (runtime/src/lib.rs), as (weight file, function): a mortal era, as
# Polkadot.js signs by default.
EXTENSIONS = [
    ("frame_system_extensions", "check_non_zero_sender"),
    ("frame_system_extensions", "check_spec_version"),
    ("frame_system_extensions", "check_tx_version"),
    ("frame_system_extensions", "check_genesis"),
    ("frame_system_extensions", "check_mortality_mortal_transaction"),
    ("frame_system_extensions", "check_nonce"),
    ("frame_system_extensions", "check_weight"),
    ("pallet_transaction_payment", "charge_transaction_payment"),
]


def weights(path: Path):
    """{call: (ref_time in ps, {component: max})} of the runtime-facing impl in `path`."""
    text = path.read_text()
    if "for SubstrateWeight<T>" in text:  # Palisade's template: trait + SubstrateWeight + ()
        impl = text.split("WeightInfo for SubstrateWeight<T>", 1)[-1]
        impl = impl.split("impl WeightInfo for ()", 1)[0]
    else:  # the CLI's default runtime template: `impl<T> pallet_x::WeightInfo for WeightInfo<T>`
        impl = text.split("WeightInfo for WeightInfo<T>", 1)[-1]
    out = {}
    for m in re.finditer(r"((?:\s*///[^\n]*\n)*)\s*fn (\w+)\(([^)]*)\) -> Weight \{(.*?)\n\t\}", impl, re.S):
        doc, name, _args, body = m.groups()
        ranges = {r[0]: int(r[2]) for r in re.findall(r"component `(\w+)` is `\[(\d+), (\d+)\]`", doc)}
        num = lambda s: int(s.replace("_", ""))
        base = re.search(r"Weight::from_parts\(([\d_]+),", body)
        if not base:
            continue
        total = num(base.group(1))
        for slope, comp in re.findall(r"Weight::from_parts\(([\d_]+), 0\)\.saturating_mul\((\w+)\.into", body):
            total += num(slope) * ranges.get(comp, 0)
        # Palisade's template writes `reads(2_u64)`, the CLI's default template `reads(2)`.
        r = re.search(r"reads\(([\d_]+)(?:_u64)?\)\)", body)
        w = re.search(r"writes\(([\d_]+)(?:_u64)?\)\)", body)
        total += (num(r.group(1)) if r else 0) * READ + (num(w.group(1)) if w else 0) * WRITE
        for slope, comp in re.findall(r"reads\(\(([\d_]+)(?:_u64)?\)\.saturating_mul\((\w+)", body):
            total += num(slope) * ranges.get(comp, 0) * READ
        for slope, comp in re.findall(r"writes\(\(([\d_]+)(?:_u64)?\)\.saturating_mul\((\w+)", body):
            total += num(slope) * ranges.get(comp, 0) * WRITE
        out[name] = (total, ranges)
    return out


# User calls whose dispatch weight is not one generated function: what the runtime charges
# (see each call's `#[pallet::weight]`), as (label, [(pallet, function), ...], extra reads (or
# (reads, writes)),
# how the parts combine: "sum" or "max" of the parts, then the reads added).
COMPOSITES = [
    ("consumers.reap_consumer (the dearest of its three steps)",
     [("consumers", "reap_consumer_page"), ("consumers", "reap_consumer_sets_page"),
      ("consumers", "reap_consumer")], 0, "max"),
    ("basket.deposit (basket part + the pool's native deposit)",
     [("basket", "deposit"), ("restaking-pools", "deposit_native")], 0, "sum"),
    ("restaking-pools.deposit into a native pool", [("restaking-pools", "deposit_native")], 1, "sum"),
    ("restaking-pools.deposit into a staked pool", [("restaking-pools", "deposit_staked")], 1, "sum"),
    ("restaking-pools.deposit into an asset pool", [("restaking-pools", "deposit")], 1, "sum"),
    ("restaking-pools.claim_withdrawal (native or asset pool)",
     [("restaking-pools", "claim_withdrawal")], 1, "sum"),
    ("restaking-pools.claim_withdrawal (staked pool: the dearer step)",
     [("restaking-pools", "start_unbonding"), ("restaking-pools", "finish_unbonding")], 1, "max"),
    ("restaking-pools.close_pool (native or asset pool)", [("restaking-pools", "close_pool")], 1, "sum"),
    ("restaking-pools.close_pool (staked pool)",
     [("restaking-pools", "close_staked_pool"), ("restaking-pools", "close_pool")], 1, "max"),
    ("restaking-pools.claim_withdrawal (unknown pool: the dearest, charged in full)",
     [("restaking-pools", "start_unbonding"), ("restaking-pools", "finish_unbonding"),
      ("restaking-pools", "claim_withdrawal")], 1, "max"),
    # A hook, not a call: what every block's turn of pending staked bonds may take (components
    # at the runtime's MaxBondsPerBlock), with the read and cursor write of a wrapping turn.
    ("restaking-pools on_initialize: a block's turn of pending bonds (hook, 32 pools)",
     [("restaking-pools", "bond_pending")], (1, 1), "sum"),
]


def build_of(path: Path) -> str:
    """The build line the benchmark script wrote into the file's header, if any."""
    m = re.search(r"cargo profile `(\w+)`", path.read_text())
    return m.group(1) if m else "?"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(args[0] if args else Path(__file__).resolve().parent.parent)
    reference = root / "runtime/src/weights/pallet_balances.rs"
    if not reference.exists():
        sys.exit(f"{reference} is missing: run scripts/benchmark.sh first")
    ref = weights(reference)["transfer_keep_alive"][0]
    ext_files = {p: root / f"runtime/src/weights/{p}.rs" for p, _ in EXTENSIONS}
    if all(f.exists() for f in ext_files.values()):
        ext_tables = {p: weights(f) for p, f in ext_files.items()}
        ext = sum(ext_tables[p][fn][0] for p, fn in EXTENSIONS)
        ext_note = f"transaction extensions {ext / 1e6:.1f} µs (" + ", ".join(
            f"{fn} {ext_tables[p][fn][0] / 1e6:.1f}" for p, fn in EXTENSIONS) + ")"
    else:
        ext, ext_note = 0, "transaction extensions not benchmarked (left out)"
    # The base weights (`benchmark overhead`): per transaction and per block, not calls.
    base_files = {"extrinsic_weights", "block_weights"}
    base_file = root / "runtime/src/weights/extrinsic_weights.rs"
    m = base_file.exists() and re.search(
        r"ExtrinsicBaseWeight: Weight =\s*Weight::from_parts\(WEIGHT_REF_TIME_PER_NANOS\.saturating_mul\(([\d_]+)\)",
        base_file.read_text())
    if m:
        extrinsic_base = int(m.group(1).replace("_", "")) * 1_000
        base_note = f"extrinsic base weight {extrinsic_base / 1e6:.1f} µs (benchmark overhead, same machine)"
    else:
        extrinsic_base = UPSTREAM_EXTRINSIC_BASE
        base_note = f"extrinsic base weight {extrinsic_base / 1e6:.1f} µs (frame-support's constant)"
    per_tx = extrinsic_base + ext
    print(f"Reference: Balances::transfer_keep_alive = {ref / 1e6:.1f} µs ref_time incl. DB "
          f"({build_of(reference)} build); per transaction on top of the call: {base_note}, "
          f"{ext_note}\n")
    print("| pallet | call | build | ref_time (µs) | × transfer (call) | × transfer (in a block) | components at max |")
    print("|---|---|---|---|---|---|---|")
    every = {}
    files = sorted(root.glob("pallets/*/src/weights.rs")) + sorted((root / "runtime/src/weights").glob("*.rs"))
    for f in files:
        if f.name == "mod.rs" or "PLACEHOLDER" in f.read_text():
            continue
        # The consumer chain's pallet runs in another runtime: compare it there.
        if f.parts[-3] == "consumer":
            continue
        pallet = f.stem if f.parent.name == "weights" else f.parts[-3]
        # The extensions and the base weights are not calls: they are in the per-transaction
        # weight above.
        if pallet in ext_files or pallet in base_files:
            continue
        build = build_of(f)
        table = weights(f)
        every[pallet] = table
        for name, (w, ranges) in table.items():
            comps = ", ".join(f"{k}={v}" for k, v in ranges.items())
            in_block = (w + per_tx) / (ref + per_tx)
            print(f"| {pallet} | {name} | {build} | {w / 1e6:.1f} | {w / ref:.2f} | {in_block:.2f} | {comps} |")

    print("\nUser calls whose dispatch weight combines generated functions (as the runtime charges them):\n")
    print("| call | ref_time (µs) | × transfer (call) | × transfer (in a block) |")
    print("|---|---|---|---|")
    for label, parts, reads, how in COMPOSITES:
        values = [every.get(p, {}).get(fn, (None,))[0] for p, fn in parts]
        if None in values:
            continue
        reads, writes = reads if isinstance(reads, tuple) else (reads, 0)
        w = (sum(values) if how == "sum" else max(values)) + reads * READ + writes * WRITE
        in_block = (w + per_tx) / (ref + per_tx)
        print(f"| {label} | {w / 1e6:.1f} | {w / ref:.2f} | {in_block:.2f} |")


if __name__ == "__main__":
    main()

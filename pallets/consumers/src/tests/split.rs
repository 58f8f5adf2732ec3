//! The split of a member's power into reward weights, against a 512-bit reference.

use crate::rewards::split_power;
use alloc::vec::Vec;
use sp_core::U512;
use sp_runtime::Perbill;

/// `floor(power × (10^9 − k) × x / (10^9 × stake))` and its exactness, in 512 bits.
fn reference(power: u128, k: u32, x: u128, stake: u128) -> (u128, bool) {
	let rest = U512::from(1_000_000_000 - k);
	let numerator = U512::from(power) * U512::from(x) * rest;
	let denominator = U512::from(stake) * U512::from(1_000_000_000u64);
	let (q, r) = numerator.div_mod(denominator);
	(q.try_into().expect("fits"), r.is_zero())
}

/// A tiny deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}
	fn below(&mut self, bound: u128) -> u128 {
		let wide = (u128::from(self.next()) << 64) | u128::from(self.next());
		if bound == 0 {
			0
		} else {
			wide % bound
		}
	}
}

#[test]
fn each_weight_is_exact_and_they_sum_to_at_most_the_power() {
	let mut rng = Rng(0x5eed_1234_abcd_0001);
	let scales = [1_000u128, 1_000_000_000_000, 1 << 100, u128::MAX / 3, u128::MAX];
	for round in 0..20_000 {
		let top = scales[round % scales.len()];
		let pools = (rng.next() % 4) as usize;
		let own = rng.below(top / 2 + 1);
		let backings: Vec<u128> = (0..pools).map(|_| rng.below(top / 8 + 1)).collect();
		let stake = backings.iter().fold(own, |sum, b| sum + b);
		let power = if stake == 0 { 0 } else { 1 + rng.below(stake) };
		let k = match rng.next() % 4 {
			0 => 0,
			1 => 1_000_000_000,
			_ => (rng.next() % 1_000_000_001) as u32,
		};
		let commission = Perbill::from_parts(k);
		let (operator, weights) = split_power(power, commission, stake, backings.iter().copied());
		for (backing, weight) in backings.iter().zip(&weights) {
			if stake > 0 {
				assert_eq!(*weight, reference(power, k, *backing, stake).0);
			}
		}
		if stake > 0 {
			let backed: u128 = backings.iter().sum();
			let (floor, exact) = reference(power, k, backed, stake);
			assert_eq!(operator, power - floor - u128::from(!exact));
		}
		let total = weights.iter().fold(operator, |sum, w| sum + w);
		assert!(total <= power, "weights {total} above power {power}");
		assert!(power - total <= pools as u128, "more than a unit lost per pool");
	}
}

#[test]
fn the_split_of_the_documented_examples() {
	// Power 600 of stake 600 (own 300, pools 200 and 100), 10% commission: 330, 180, 90.
	let ten = Perbill::from_percent(10);
	assert_eq!(split_power(600, ten, 600, [200u128, 100].into_iter()), (330, vec![180, 90]));
	// Power 300 of stake 300 (own 100, pools 100 and 100), 33%: 67 each and 166.
	let split = split_power(300, Perbill::from_percent(33), 300, [100u128, 100].into_iter());
	assert_eq!(split, (166, vec![67, 67]));
	// Commission 100%: everything to the operator; none: by stake.
	assert_eq!(split_power(7, Perbill::one(), 7, [3u128].into_iter()), (7, vec![0]));
	assert_eq!(split_power(7, Perbill::zero(), 7, [3u128].into_iter()), (4, vec![3]));
	// Rounding: power 10 of stake 30 (own 10, pools 10 and 10): 3.33 each, rounded down
	// each (the operator's is 10 − ceil(6.67)), one unit of weight left over.
	assert_eq!(split_power(10, Perbill::zero(), 30, [10u128, 10].into_iter()), (3, vec![3, 3]));
}

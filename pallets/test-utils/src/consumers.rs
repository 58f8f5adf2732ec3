//! The consumer registry, seen by the operators pallet ([`ConsumerRegistry`]) and by the
//! slashing pallet ([`ConsumersInterface`]).

use crate::{mutate, read, settings, shared, MockAccount, MockBalance, World};
use core::marker::PhantomData;
use palisade_primitives::{
	ConsumerId, ConsumerKey, ConsumerRegistry, ConsumersInterface, EpochIndex, ExposureInfo, PoolId,
};

/// Consumer registry over the world's consumers.
///
/// As a [`ConsumerRegistry`]: the consumers of [`Self::set_consumers`] and [`Self::register`]
/// exist, and accept opt-ins unless [`Self::deregister`]ed; `register_consumer_for_benchmarks`
/// adds a consumer.
///
/// As a [`ConsumersInterface`]: reporters and admins come from [`Self::register`] and
/// [`Self::set_reporter`] (a reporter reaches offences of the epoch it took office and later),
/// exposures from [`Self::expose`], GRANDPA sets from [`Self::set_grandpa_set`]; the operator
/// of a key at an epoch is the one of [`Self::set_key_owner`], else the exposed operator with
/// that key. `exposure_retention` is [`Settings::exposure_retention`](crate::Settings).
/// `set_exposure_for_benchmarks` makes the reporter the consumer's, publishes GRANDPA set
/// `epoch + 3` for the epoch (set ids differ from epochs, as they may in a runtime) and records
/// the exposure.
pub struct MockConsumers<AccountId, Balance>(PhantomData<(AccountId, Balance)>);

impl<A: MockAccount, B: MockBalance> MockConsumers<A, B> {
	/// Make exactly `consumers` exist (keeping what the ones that already existed had).
	pub fn set_consumers(consumers: Vec<ConsumerId>) {
		mutate(|world: &mut World<A, B>| {
			world.consumers.retain(|id, _| consumers.contains(id));
			for id in consumers {
				world.consumers.entry(id).or_default();
			}
		});
	}

	/// Add `consumer` with `reporter` (in office since epoch 0) and `admin`.
	pub fn register(consumer: ConsumerId, reporter: A, admin: A) {
		mutate(|world: &mut World<A, B>| {
			let entry = world.consumers.entry(consumer).or_default();
			entry.reporter = Some(reporter);
			entry.admin = Some(admin);
		});
	}

	/// Mark `consumer` deregistered: it still exists but accepts no opt-in.
	pub fn deregister(consumer: ConsumerId) {
		mutate(|world: &mut World<A, B>| {
			world.consumers.entry(consumer).or_default().deregistered = true
		});
	}

	/// Make `reporter` `consumer`'s reporter from epoch `since` on (as `set_reporter` would).
	pub fn set_reporter(consumer: ConsumerId, reporter: A, since: EpochIndex) {
		mutate(|world: &mut World<A, B>| {
			let entry = world.consumers.entry(consumer).or_default();
			entry.reporter = Some(reporter);
			entry.reporter_since = since;
		});
	}

	/// Record the exposure of `operator` for `consumer` in `epoch`: `key`, its `own` stake and
	/// the `pools` backing it (the total is their sum).
	pub fn expose(
		epoch: EpochIndex,
		consumer: ConsumerId,
		operator: A,
		key: ConsumerKey,
		own: B,
		pools: &[(PoolId, B)],
	) {
		let total = pools.iter().fold(own, |total, (_, amount)| total.saturating_add(*amount));
		let exposure = ExposureInfo { key, own, pools: pools.to_vec(), total };
		mutate(|world: &mut World<A, B>| {
			world.exposures.insert((epoch, consumer, operator), exposure)
		});
	}

	/// Forget every exposure of `epoch` (as the consumers pallet prunes them).
	pub fn prune_exposures(epoch: EpochIndex) {
		mutate(|world: &mut World<A, B>| world.exposures.retain(|(e, _, _), _| *e != epoch));
	}

	/// Record that `consumer`'s GRANDPA set `set_id` was first in force in `epoch`.
	pub fn set_grandpa_set(consumer: ConsumerId, set_id: u64, epoch: EpochIndex) {
		mutate(|world: &mut World<A, B>| world.set_epochs.insert((consumer, set_id), epoch));
	}

	/// Make `operator` the owner of `key` in `consumer`'s set of `epoch`, whatever the
	/// exposures say.
	pub fn set_key_owner(epoch: EpochIndex, consumer: ConsumerId, key: ConsumerKey, operator: A) {
		mutate(|world: &mut World<A, B>| world.key_owners.insert((epoch, consumer, key), operator));
	}

	/// Change what `exposure_retention` answers.
	pub fn set_exposure_retention(epochs: EpochIndex) {
		shared(|shared| shared.settings.exposure_retention = epochs);
	}
}

impl<A: MockAccount, B: MockBalance> ConsumerRegistry for MockConsumers<A, B> {
	fn consumer_exists(id: ConsumerId) -> bool {
		read(|world: &World<A, B>| world.consumers.contains_key(&id))
	}

	fn accepts_opt_ins(id: ConsumerId) -> bool {
		read(|world: &World<A, B>| world.consumers.get(&id).is_some_and(|c| !c.deregistered))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_consumer_for_benchmarks(id: ConsumerId) {
		mutate(|world: &mut World<A, B>| {
			world.consumers.entry(id).or_default();
		});
	}
}

impl<A: MockAccount, B: MockBalance> ConsumersInterface<A, B> for MockConsumers<A, B> {
	fn reporter(consumer: ConsumerId) -> Option<A> {
		read(|world: &World<A, B>| world.consumers.get(&consumer).and_then(|c| c.reporter.clone()))
	}

	fn reporter_at(consumer: ConsumerId, epoch: EpochIndex) -> Option<A> {
		read(|world: &World<A, B>| {
			world
				.consumers
				.get(&consumer)
				.filter(|c| c.reporter_since <= epoch)
				.and_then(|c| c.reporter.clone())
		})
	}

	fn admin(consumer: ConsumerId) -> Option<A> {
		read(|world: &World<A, B>| world.consumers.get(&consumer).and_then(|c| c.admin.clone()))
	}

	fn exposure(epoch: EpochIndex, consumer: ConsumerId, operator: &A) -> Option<ExposureInfo<B>> {
		read(|world: &World<A, B>| {
			world.exposures.get(&(epoch, consumer, operator.clone())).cloned()
		})
	}

	fn epoch_of_set(consumer: ConsumerId, set_id: u64) -> Option<EpochIndex> {
		read(|world: &World<A, B>| world.set_epochs.get(&(consumer, set_id)).copied())
	}

	fn operator_of_key_at(epoch: EpochIndex, consumer: ConsumerId, key: &ConsumerKey) -> Option<A> {
		read(|world: &World<A, B>| {
			if let Some(owner) = world.key_owners.get(&(epoch, consumer, *key)) {
				return Some(owner.clone());
			}
			world
				.exposures
				.iter()
				.find(|((e, c, _), exposure)| *e == epoch && *c == consumer && exposure.key == *key)
				.map(|((_, _, operator), _)| operator.clone())
		})
	}

	fn exposure_retention() -> EpochIndex {
		settings().exposure_retention
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_exposure_for_benchmarks(
		epoch: EpochIndex,
		consumer: ConsumerId,
		operator: &A,
		reporter: &A,
		exposure: ExposureInfo<B>,
	) {
		mutate(|world: &mut World<A, B>| {
			world.consumers.entry(consumer).or_default().reporter = Some(reporter.clone());
			world.exposures.insert((epoch, consumer, operator.clone()), exposure);
		});
		Self::set_grandpa_set(consumer, u64::from(epoch) + 3, epoch);
	}
}

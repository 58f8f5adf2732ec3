//! The node's JSON-RPC extensions: the standard `system_*` (account nonce) and `payment_*`
//! methods. (The `state_*`, `chain_*`, `author_*` methods come with `sc-service`.)

use std::sync::Arc;

use jsonrpsee::RpcModule;
use palisade_consumer_runtime::{opaque::Block, AccountId, Balance, Nonce};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the GRANDPA RPC (`grandpa_roundState`, `grandpa_proveFinality`,
/// `grandpa_subscribeJustifications`: what a relay follows this chain's finality with) needs.
pub struct GrandpaDeps<B> {
	/// The voter's authority set.
	pub shared_authority_set: sc_consensus_grandpa::SharedAuthoritySet<
		<Block as sp_runtime::traits::Block>::Hash,
		sp_runtime::traits::NumberFor<Block>,
	>,
	/// The voter's state, as the voter updates it.
	pub shared_voter_state: sc_consensus_grandpa::SharedVoterState,
	/// Justifications of the blocks this node finalizes.
	pub justification_stream: sc_consensus_grandpa::GrandpaJustificationStream<Block>,
	/// Executor of the subscriptions.
	pub subscription_executor: sc_rpc::SubscriptionTaskExecutor,
	/// Finality proofs from the stored justifications.
	pub finality_provider: Arc<sc_consensus_grandpa::FinalityProofProvider<B, Block>>,
}

/// What the RPC extensions need from the node.
pub struct FullDeps<C, P, B> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// The GRANDPA RPC's needs.
	pub grandpa: GrandpaDeps<B>,
}

/// All of the node's RPC extensions.
pub fn create_full<C, P, B>(
	deps: FullDeps<C, P, B>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	B: sc_client_api::Backend<Block> + Send + Sync + 'static,
	B::State: sc_client_api::StateBackend<sp_runtime::traits::HashingFor<Block>>,
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, grandpa } = deps;
	{
		use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
		let GrandpaDeps {
			shared_authority_set,
			shared_voter_state,
			justification_stream,
			subscription_executor,
			finality_provider,
		} = grandpa;
		module.merge(
			Grandpa::new(
				subscription_executor,
				shared_authority_set,
				shared_voter_state,
				justification_stream,
				finality_provider,
			)
			.into_rpc(),
		)?;
	}

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client).into_rpc())?;

	Ok(module)
}

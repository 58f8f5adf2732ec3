//! The `restaking_*` JSON-RPC module.
//!
//! This is where pool, position, operator, consumer, validator-set and pending-slash
//! queries are served (backed by the runtime's `RestakingApi` once the restaking pallets are
//! in the runtime). For now it answers `restaking_apiVersion`, so clients can detect the
//! module and its version.

use std::{marker::PhantomData, sync::Arc};

use jsonrpsee::{core::RpcResult, proc_macros::rpc};

/// Version of the `restaking_*` RPC interface. Bumped on every incompatible change.
pub const RESTAKING_RPC_VERSION: u32 = 0;

/// Palisade's restaking RPC methods.
#[rpc(server)]
pub trait RestakingApi {
	/// The version of the `restaking_*` interface this node serves.
	#[method(name = "restaking_apiVersion")]
	fn api_version(&self) -> RpcResult<u32>;
}

/// Implementation of [`RestakingApiServer`] over a client.
pub struct Restaking<C> {
	_client: Arc<C>,
	_marker: PhantomData<C>,
}

impl<C> Restaking<C> {
	/// A new instance over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { _client: client, _marker: PhantomData }
	}
}

impl<C> RestakingApiServer for Restaking<C>
where
	C: Send + Sync + 'static,
{
	fn api_version(&self) -> RpcResult<u32> {
		Ok(RESTAKING_RPC_VERSION)
	}
}

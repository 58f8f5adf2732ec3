//! `palisade-consumer-node`: the node of Palisade's demo consumer chain.

#![warn(missing_docs)]
// `sc_cli::Error` is upstream's (large) error type; every command returns it.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}

fn main() {
	#[cfg(feature = "std")]
	{
		// The cargo target dir lives outside the clone (~/.cache/palisade/target), where the
		// wasm builder cannot find our Cargo.lock by walking up from OUT_DIR. Point it at the
		// workspace root (two levels up: consumer/runtime -> consumer -> root) so the runtime
		// wasm is built with the locked versions. (Set here, not in .cargo/config.toml, so other
		// crates' wasm builds are not redirected to our workspace.)
		if std::env::var_os("WASM_BUILD_WORKSPACE_HINT").is_none() {
			if let Some(workspace) = std::env::var_os("CARGO_MANIFEST_DIR")
				.map(std::path::PathBuf::from)
				.and_then(|runtime| runtime.ancestors().nth(2).map(|p| p.to_path_buf()))
			{
				std::env::set_var("WASM_BUILD_WORKSPACE_HINT", workspace);
			}
		}
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
	}
}

// Starts Gapwise's Web Worker (src/bin/gapwise-worker.rs): wasm-bindgen's glue for a classic
// worker (`--target no-modules`, which Trunk builds for data-type="worker"), then the
// WebAssembly beside it. The worker says {kind: "ready"} once it listens.
importScripts('./gapwise-worker.js');
wasm_bindgen({ module_or_path: './gapwise-worker_bg.wasm' });

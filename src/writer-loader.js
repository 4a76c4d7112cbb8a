// Starts Gapwise's workbook writer (src/bin/gapwise-writer.rs), a Web Worker started when the
// first workbook is written: wasm-bindgen's glue for a classic worker, then its WebAssembly.
// The worker says {kind: "ready"} once it listens.
importScripts('./gapwise-writer.js');
wasm_bindgen({ module_or_path: './gapwise-writer_bg.wasm' });

// Added to the app's index.html by `cargo xtask bench` only (never shipped): keeps the wasm
// exports Trunk's loader announces, so the memory figure can read `memory.buffer.byteLength`.
addEventListener("sightline:started", (event) => {
  window.__sightlineWasm = event.detail && event.detail.wasm;
});

//! Reading a response body chunk by chunk with a byte cap, so that a 200 MB or never-ending
//! body is stopped at the limit instead of being held whole (as `Response::text()` would).
//!
//! The chunks stay in JavaScript memory (garbage-collected) until the body is complete; only
//! then is the body copied into the WebAssembly heap, in one allocation of its exact size. The
//! WebAssembly heap never shrinks, so growing a `Vec` chunk by chunk would leave it at up to three
//! times the cap after a single huge body (the doubled capacity plus the old buffer during the
//! copy), and a refused body would cost as much as an accepted one.

use gloo_net::http::Response;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::ReadableStreamDefaultReader;

/// The bytes read, and whether the cap cut the body short.
pub(crate) struct CappedBody {
    pub bytes: Vec<u8>,
    pub truncated: bool,
}

/// What to keep of a body longer than the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overflow {
    /// The first `cap` bytes (an error page, quoted in the message).
    KeepPrefix,
    /// Nothing (an answer that is refused as too large anyway).
    Discard,
}

/// The stream failed (aborted, timed out, network gone) before its end.
pub(crate) struct StreamFailed;

/// Reads at most `cap` bytes of `response`'s body. When the body is longer, reading stops and
/// the stream is cancelled; `truncated` says so and `overflow` says what is kept.
pub(crate) async fn read_capped(
    response: &Response,
    cap: u64,
    overflow: Overflow,
) -> Result<CappedBody, StreamFailed> {
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let Some(stream) = response.body() else {
        return Ok(CappedBody {
            bytes: Vec::new(),
            truncated: false,
        });
    };
    let reader: ReadableStreamDefaultReader =
        stream.get_reader().dyn_into().map_err(|_| StreamFailed)?;
    let mut chunks: Vec<Uint8Array> = Vec::new();
    let mut total = 0usize;
    loop {
        let result = JsFuture::from(reader.read())
            .await
            .map_err(|_| StreamFailed)?;
        let done = Reflect::get(&result, &JsValue::from_str("done"))
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(CappedBody {
                bytes: concat(&chunks, total),
                truncated: false,
            });
        }
        let value = Reflect::get(&result, &JsValue::from_str("value")).map_err(|_| StreamFailed)?;
        let chunk: Uint8Array = value.dyn_into().map_err(|_| StreamFailed)?;
        let len = chunk.length() as usize;
        let room = cap.saturating_sub(total);
        if len > room {
            // Stop the download; keep only what fits, if asked.
            let _ = reader.cancel();
            let bytes = match overflow {
                Overflow::Discard => Vec::new(),
                Overflow::KeepPrefix => {
                    let end = u32::try_from(room).unwrap_or(u32::MAX);
                    chunks.push(chunk.subarray(0, end));
                    concat(&chunks, total + room)
                }
            };
            return Ok(CappedBody {
                bytes,
                truncated: true,
            });
        }
        total += len;
        chunks.push(chunk);
    }
}

/// The chunks copied into one buffer of exactly `total` bytes.
fn concat(chunks: &[Uint8Array], total: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; total];
    let mut at = 0usize;
    for chunk in chunks {
        let len = (chunk.length() as usize).min(total - at);
        chunk
            .subarray(0, u32::try_from(len).unwrap_or(u32::MAX))
            .copy_to(&mut bytes[at..at + len]);
        at += len;
    }
    bytes
}

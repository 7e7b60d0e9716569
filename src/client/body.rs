//! Reading a response body chunk by chunk with a byte cap, so that a 200 MB or never-ending
//! body is stopped at the limit instead of being held whole (as `Response::text()` would).

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

/// The stream failed (aborted, timed out, network gone) before its end.
pub(crate) struct StreamFailed;

/// Reads at most `cap` bytes of `response`'s body. When the body is longer, reading stops and
/// the stream is cancelled; `truncated` says so.
pub(crate) async fn read_capped(response: &Response, cap: u64) -> Result<CappedBody, StreamFailed> {
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let mut bytes = Vec::new();
    let Some(stream) = response.body() else {
        return Ok(CappedBody {
            bytes,
            truncated: false,
        });
    };
    let reader: ReadableStreamDefaultReader =
        stream.get_reader().dyn_into().map_err(|_| StreamFailed)?;
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
                bytes,
                truncated: false,
            });
        }
        let value = Reflect::get(&result, &JsValue::from_str("value")).map_err(|_| StreamFailed)?;
        let chunk: Uint8Array = value.dyn_into().map_err(|_| StreamFailed)?;
        let len = chunk.length() as usize;
        let room = cap.saturating_sub(bytes.len());
        let take = len.min(room);
        let start = bytes.len();
        bytes.resize(start + take, 0);
        if take == len {
            chunk.copy_to(&mut bytes[start..]);
        } else {
            // Only the part that fits; then stop the download.
            let end = u32::try_from(take).unwrap_or(u32::MAX);
            chunk.subarray(0, end).copy_to(&mut bytes[start..]);
            let _ = reader.cancel();
            return Ok(CappedBody {
                bytes,
                truncated: true,
            });
        }
    }
}

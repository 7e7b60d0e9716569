//! A cap on requests in flight across a page: panels wait for a permit, so a dashboard of a
//! hundred panels does not put a hundred queries on a server at once.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use futures::channel::oneshot;

/// Requests a dashboard runs at once. Above the six connections a browser opens to one HTTP/1.1
/// host, so the browser's own network queue refills a freed connection at once (a permit needs
/// the page's busy main thread to hand it on; the 30-panel bench dashboard's all-painted ratio
/// to uPlot went from 1.31× with six permits to 1.21× with sixteen, on 4 and 8 noisy loads);
/// bounded for HTTP/2 hosts, where the browser sets no cap.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 16;

struct Inner {
    available: usize,
    waiting: VecDeque<oneshot::Sender<()>>,
}

/// A counting semaphore for one page. Cheap to clone; single-threaded (the browser's).
#[derive(Clone)]
pub struct Limiter(send_wrapper::SendWrapper<Rc<RefCell<Inner>>>);

impl Limiter {
    /// A limiter allowing `max` permits at once.
    #[must_use]
    pub fn new(max: usize) -> Self {
        Limiter(send_wrapper::SendWrapper::new(Rc::new(RefCell::new(
            Inner {
                available: max.max(1),
                waiting: VecDeque::new(),
            },
        ))))
    }

    /// Waits for a permit; the permit is given back when dropped (also when the waiting future
    /// is dropped, e.g. a superseded panel request, even if a permit was just handed to it).
    pub async fn acquire(&self) -> Permit {
        let receiver = {
            let mut inner = self.0.borrow_mut();
            if inner.available > 0 {
                inner.available -= 1;
                None
            } else {
                let (sender, receiver) = oneshot::channel();
                inner.waiting.push_back(sender);
                Some(receiver)
            }
        };
        let mut pending = Pending {
            receiver,
            limiter: self.clone(),
            granted: false,
        };
        if let Some(receiver) = pending.receiver.as_mut() {
            // A closed channel means the limiter went away; proceed rather than hang.
            let _ = receiver.await;
        }
        pending.granted = true;
        Permit(self.clone())
    }

    fn release(&self) {
        let mut inner = self.0.borrow_mut();
        // Hand the permit to the first waiter still listening.
        while let Some(next) = inner.waiting.pop_front() {
            if next.send(()).is_ok() {
                return;
            }
        }
        inner.available += 1;
    }
}

/// A wait for a permit; if dropped after a permit was handed over, gives it back.
struct Pending {
    receiver: Option<oneshot::Receiver<()>>,
    limiter: Limiter,
    granted: bool,
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.granted {
            return;
        }
        if let Some(mut receiver) = self.receiver.take() {
            if let Ok(Some(())) = receiver.try_recv() {
                self.limiter.release();
            }
        }
    }
}

/// A permit; released on drop.
pub struct Permit(Limiter);

impl Drop for Permit {
    fn drop(&mut self) {
        self.0.release();
    }
}

#[cfg(test)]
mod tests {
    use super::DEFAULT_MAX_IN_FLIGHT;

    #[test]
    fn early_js_keeps_the_same_cap_on_requests_in_flight() {
        let early = include_str!("../../early.js");
        let line = format!("const MAX_IN_FLIGHT = {DEFAULT_MAX_IN_FLIGHT};");
        assert!(
            early.contains(&line),
            "src/early.js must say `{line}`, the app's own cap"
        );
    }
}

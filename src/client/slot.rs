//! Request slots: one logical request in flight per slot (a panel, the query editor), so that a
//! newer request aborts the one it supersedes.
//!
//! A logical request may be several fetches at once (the legacy and current halves of a
//! stitched range): [`RequestSlot::group`] starts a new generation whose handles run side by
//! side without aborting each other, and are all aborted together by the next request.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::AbortController;

#[derive(Default)]
struct SlotState {
    generation: u64,
    in_flight: Vec<AbortController>,
}

impl SlotState {
    fn abort_all(&mut self) {
        for controller in self.in_flight.drain(..) {
            controller.abort();
        }
        self.generation = self.generation.wrapping_add(1);
    }
}

/// One in-flight logical request at a time: starting a new one aborts the previous (a panel
/// whose time range changed, a query typed again).
///
/// The browser runs the app on one thread; `SendWrapper` lets the slot live inside Leptos'
/// reactive closures, which must be `Send`.
#[derive(Clone)]
pub struct RequestSlot {
    shared: send_wrapper::SendWrapper<Rc<RefCell<SlotState>>>,
    /// `Some(generation)` for a handle from [`RequestSlot::group`]: its requests join that
    /// generation instead of starting a new one.
    joined: Option<u64>,
}

impl Default for RequestSlot {
    fn default() -> Self {
        RequestSlot {
            shared: send_wrapper::SendWrapper::new(Rc::new(RefCell::new(SlotState::default()))),
            joined: None,
        }
    }
}

impl RequestSlot {
    /// Aborts whatever is in flight and returns a handle for a group of requests that run in
    /// parallel (each half of a stitched query); the next request on this slot aborts them all.
    #[must_use]
    pub fn group(&self) -> RequestSlot {
        let generation = {
            let mut state = self.shared.borrow_mut();
            state.abort_all();
            state.generation
        };
        RequestSlot {
            shared: self.shared.clone(),
            joined: Some(generation),
        }
    }

    /// Aborts the requests in flight, if any.
    pub fn abort(&self) {
        self.shared.borrow_mut().abort_all();
    }

    /// The generation a new request of this handle belongs to: a group handle joins its own, a
    /// plain slot aborts what is in flight and starts the next one.
    pub(crate) fn begin(&self) -> u64 {
        match self.joined {
            Some(generation) => generation,
            None => {
                let mut state = self.shared.borrow_mut();
                state.abort_all();
                state.generation
            }
        }
    }

    /// Registers `controller` as in flight for `generation`; `false` when that generation was
    /// already superseded (the request must not start).
    pub(crate) fn register(&self, generation: u64, controller: &AbortController) -> bool {
        let mut state = self.shared.borrow_mut();
        if state.generation != generation {
            return false;
        }
        state.in_flight.push(controller.clone());
        true
    }

    /// True while `generation` has not been superseded.
    pub(crate) fn is_current(&self, generation: u64) -> bool {
        self.shared.borrow().generation == generation
    }

    /// Forgets `controller` once its fetch is over.
    pub(crate) fn finish(&self, controller: &AbortController) {
        self.shared
            .borrow_mut()
            .in_flight
            .retain(|c| c != controller);
    }
}

//! Memos of an answer that change only when another answer arrives, compared by `Arc`
//! identity: the same answer set again (a refresh starting keeps the last one on screen) wakes
//! nothing that draws it.

use std::sync::Arc;

use leptos::prelude::*;

/// A memo of `answer`, changed only when it holds another `Arc` (or goes to or from `None`).
pub fn answer_memo<T: Send + Sync + 'static>(
    answer: impl Fn() -> Option<Arc<T>> + Send + Sync + 'static,
) -> Memo<Option<Arc<T>>> {
    Memo::new_with_compare(move |_| answer(), another_answer::<T>)
}

/// True unless `old` and `new` are the same `Arc`, or both `None`.
fn another_answer<T>(old: Option<&Option<Arc<T>>>, new: Option<&Option<Arc<T>>>) -> bool {
    match (old, new) {
        (Some(Some(a)), Some(Some(b))) => !Arc::ptr_eq(a, b),
        (Some(None), Some(None)) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_another_arc_is_another_answer() {
        let answer = Arc::new(1);
        let same = Some(Arc::clone(&answer));
        let equal_but_new = Some(Arc::new(1));
        assert!(!another_answer(Some(&same), Some(&Some(answer))));
        assert!(another_answer(Some(&same), Some(&equal_but_new)));
        assert!(!another_answer::<i32>(Some(&None), Some(&None)));
        assert!(another_answer(Some(&None), Some(&same)));
        assert!(another_answer(None, Some(&same)));
    }
}

//! Stable sorting with one copy of the sort code in the whole program.
//!
//! `slice::sort_by` is generic over the element and the comparator, so every call site with
//! its own closure gets its own ~3.5 KB of driftsort in the wasm bundle (29 of them were ~100 KB
//! before gzip). These helpers sort a `Vec<usize>` of positions with one `dyn` comparator (one
//! instantiation for the program) and then move the elements into place along the permutation's
//! cycles, which is only a few bytes per element type. They are stable, like `sort_by`.
//!
//! Use them for sorts in code that ships to the browser; a hot inner loop over millions of
//! numbers may still prefer `sort_unstable_by` on a concrete type.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` stably by the key `key` computes.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably in their natural order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// `0..n` sorted by `compare` (stable): position `i` of the result is the index of the element
/// that belongs at `i`. Not generic, so the sort code exists once.
fn sorted_positions(n: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| compare(*a, *b));
    order
}

/// Moves the element at `order[i]` to `i` for every `i`, following each cycle of the
/// permutation with swaps (`order` is used up as the visited marks).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        let mut current = start;
        while order[current] != DONE {
            let next = order[current];
            order[current] = DONE;
            if next == start {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_the_standard_library_and_keeps_equal_elements_in_order(
            pairs in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)
        ) {
            let mut ours = pairs.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std_sorted = pairs.clone();
            std_sorted.sort_by_key(|p| p.0);
            prop_assert_eq!(ours, std_sorted);
        }

        #[test]
        fn natural_order_matches(mut values in proptest::collection::vec(any::<i32>(), 0..100)) {
            let mut expected = values.clone();
            expected.sort();
            sort(&mut values);
            prop_assert_eq!(values, expected);
        }
    }

    #[test]
    fn strings_and_reverse_orders_sort() {
        let mut words = vec!["pear".to_owned(), "apple".to_owned(), "fig".to_owned()];
        sort_by(&mut words, |a, b| b.cmp(a));
        assert_eq!(words, ["pear", "fig", "apple"]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }
}

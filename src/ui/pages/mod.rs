//! The app's pages, one per route.

pub mod explore;
pub mod sign_in;

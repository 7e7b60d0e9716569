//! The app's pages, one per route.

pub mod dashboard;
pub mod dashboards;
pub mod explore;
pub mod import;
pub mod sign_in;

//! Application state shared through Leptos contexts: the deploy config, the signed-in session and
//! per-query request state.

pub mod catalog;
pub mod config;
pub mod dashboard;
pub mod explore;
pub mod logs;
pub mod query;
pub mod session;

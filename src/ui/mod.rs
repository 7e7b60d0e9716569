//! Leptos components and pages. They draw state and send intents; fetching and parsing live in
//! `client` and `sightline-core`.

pub mod app;
pub mod components;
pub mod lazy_page;
pub mod logs;
pub mod pages;
pub mod panels;

//! The LogQL subset the double understands: parser (with Loki-style errors), canonical
//! printing for `/format_query`, and the per-entry pipeline.

pub mod ast;
mod display;
pub mod error;
pub mod extract;
pub mod lexer;
pub mod parser;
pub mod pipeline;
mod pipeline_parser;

pub use error::ParseError;
pub use parser::{parse, parse_selector};

#[cfg(test)]
mod tests;

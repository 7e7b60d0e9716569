//! placeholder until this crate is written
fn main() {}

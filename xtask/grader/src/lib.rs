//! `cargo xtask grade`: builds a learner's exercise file against the library in a scratch crate
//! and grades it part by part, each part in its own process.

pub mod report;

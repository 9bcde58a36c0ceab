//! The library behind *backprop-book*: every algorithm the chapters run, implemented once.
//!
//! Each chapter's example (`chapters/<name>/main.rs`) is a thin program over these modules; the
//! book includes their code by anchor, so what a page shows is what the tests run.

pub mod activation;
pub mod backprop;
pub mod cli;
pub mod cost;
pub mod data;
pub mod digits;
pub mod error;
pub mod fast;
pub mod gradcheck;
pub mod init;
pub mod mat;
pub mod network;
pub mod neuron;
pub mod optimize;
pub mod output;
pub mod plot;
pub mod report;
pub mod train;
pub mod unroll;
pub mod worked;

pub use error::{Error, Result};

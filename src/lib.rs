//! reportgen: publishes a research report as a fast, linked, cross-referenced static website.
//!
//! The build is a pipeline, one module per stage, data flowing one way:
//! [`config`] → [`content`] (load + model) → [`markdown`] (parse) → [`resolve`]
//! (numbering, references, backlinks, indexes) → [`render`] (templates, charts, search)
//! → [`output`] (atomic write).

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod decode;
pub mod error;
pub mod markdown;
pub mod output;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod scratch;
pub mod serve;
#[cfg(test)]
mod testing;
pub mod timings;
pub mod urls;

pub use build::{BuildOptions, BuildReport, build};
pub use error::{Diagnostic, Error, Result};

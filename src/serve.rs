//! `reportgen serve`: live preview on 127.0.0.1 with rebuild on change and browser reload.

use std::path::PathBuf;

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// First port to try; the next free one is used if it is taken.
    pub port: u16,
    pub quiet: bool,
}

pub fn run(_opts: &ServeOptions) -> Result<()> {
    Err(Error::msg("serve is not available yet"))
}

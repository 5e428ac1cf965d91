//! `reportgen new` and `reportgen init`: valid starter files and a minimal new report site.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The kinds of item `reportgen new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Chapter,
    Table,
    Figure,
    Company,
}

/// Writes a starter file for a new item; returns its path. Never overwrites.
pub fn new_item(_root: &Path, _kind: Kind, _id: &str) -> Result<PathBuf> {
    Err(Error::msg("new is not available yet"))
}

/// Creates a minimal report site in `dir` that builds as it is.
pub fn init_site(_dir: &Path) -> Result<Vec<PathBuf>> {
    Err(Error::msg("init is not available yet"))
}

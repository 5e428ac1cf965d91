//! The home page's own content: `content/index.md` (contact line, disclaimer, introduction).

use serde::Deserialize;

use super::files::Origin;
use super::{frontmatter, yaml};
use crate::error::Result;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeMeta {
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub disclaimer: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Home {
    pub meta: HomeMeta,
    pub origin: Option<Origin>,
    pub body_start: usize,
}

impl Home {
    pub fn body(&self) -> &str {
        self.origin.as_ref().map_or("", |o| &o.text[self.body_start..])
    }
}

pub fn parse(origin: Origin) -> Result<Home> {
    let split = frontmatter::split(&origin.text, &origin.file)?;
    let meta: HomeMeta = if split.yaml.trim().is_empty() { HomeMeta::default() } else { yaml::parse(split.yaml, &origin.file, 2)? };
    let body_start = split.body_start;
    Ok(Home { meta, origin: Some(origin), body_start })
}

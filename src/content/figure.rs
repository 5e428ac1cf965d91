//! Figures: `content/figures/*.yaml`: caption, source, and an image or chart data when there is one.

use serde::Deserialize;

use super::chart::{ChartSpec, RawChart};
use super::files::Origin;
use super::{ids, table, yaml};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureFile {
    id: String,
    caption: String,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    alt: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    data: Option<RawChart>,
    #[serde(default)]
    editor_note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub id: String,
    pub caption: String,
    pub unit: Option<String>,
    /// Path under `content/assets/`, checked to exist.
    pub image: Option<String>,
    pub alt: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub data: Option<ChartSpec>,
    pub editor_note: Option<String>,
    pub origin: Origin,
}

/// The fields a file of this kind may have.
pub fn fields() -> Vec<String> {
    yaml::fields_of::<FigureFile>()
}

pub fn parse(origin: Origin, assets: &std::path::Path) -> Result<Figure> {
    let f: FigureFile = yaml::parse(&origin.text, &origin.file, 1)?;
    let mut problems = Vec::new();
    if let Some(why) = ids::check(&f.id) {
        problems.push(origin.error_at_key("id", format!("id {:?} {why}", f.id)).with_help(ids::help(&f.id, "id: ")));
    }
    if f.caption.trim().is_empty() {
        problems.push(origin.error_at_key("caption", "`caption` is empty"));
    }
    if let Some(image) = &f.image {
        if let Some(why) = unsafe_asset_path(image) {
            problems.push(
                origin
                    .error_at_key("image", format!("image path {image:?} {why}"))
                    .with_help("give a path under content/assets/, such as figures/fig1.png"),
            );
        } else if !assets.join(image).is_file() {
            let there = asset_files(assets);
            let help = super::missing_asset_help(image, "", there.iter().map(String::as_str));
            problems.push(origin.error_at_key("image", format!("image {image:?} not found in content/assets/")).with_help(help));
        }
        if f.alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
            problems.push(origin.error_at_key("image", "a figure with an image needs `alt` text describing it"));
        }
    }
    let data = f.data.and_then(|c| c.check("data", &origin, &mut problems));
    if let Some(data) = &data {
        table::check_chart(data, "data", &origin, &mut problems);
    }
    Error::check(problems)?;
    Ok(Figure {
        id: f.id,
        caption: f.caption,
        unit: f.unit,
        image: f.image,
        alt: f.alt,
        source: f.source,
        note: f.note,
        data,
        editor_note: f.editor_note,
        origin,
    })
}

/// The files under `assets` (content/assets/), relative to it with `/` separators: read only
/// when a figure names a file that is not there (the assets load alongside the figures).
fn asset_files(assets: &std::path::Path) -> Vec<String> {
    let files = walkdir::WalkDir::new(assets).into_iter().flatten().filter(|e| e.file_type().is_file());
    files.filter_map(|e| e.path().strip_prefix(assets).ok().map(|p| p.to_string_lossy().replace('\\', "/"))).collect()
}

/// Why an asset path could escape `content/assets/` or is unusable, if it could.
pub fn unsafe_asset_path(p: &str) -> Option<&'static str> {
    if p.is_empty() {
        return Some("is empty");
    }
    if p.starts_with('/') || p.starts_with('\\') || p.contains(':') {
        return Some("must be relative");
    }
    if p.split(['/', '\\']).any(|s| s == ".." || s == "." || s.is_empty()) {
        return Some("must not contain `..`, `.` or empty segments");
    }
    if p.chars().any(|c| c.is_control() || matches!(c, '"' | '<' | '>' | '?' | '#' | '%')) {
        return Some("contains characters that are unsafe in a URL");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> Origin {
        Origin { file: "content/figures/f.yaml".into(), text: text.into() }
    }

    #[test]
    fn figure_without_image_is_fine() {
        let f = parse(origin("id: f1\ncaption: 그림\nunit: 10 억 달러\nsource: IMF\n"), std::path::Path::new("/nonexistent")).unwrap();
        assert_eq!(f.unit.as_deref(), Some("10 억 달러"));
    }

    #[test]
    fn image_paths_cannot_escape() {
        let e = parse(origin("id: f1\ncaption: 그림\nimage: ../../etc/passwd\nalt: x\n"), std::path::Path::new("/tmp")).unwrap_err();
        assert!(e.to_string().contains("must not contain `..`"), "{e}");
        assert_eq!(e.diagnostics[0].line, 3);
        assert!(unsafe_asset_path("/etc/passwd").is_some());
        assert!(unsafe_asset_path("a/b.png").is_none());
    }
}

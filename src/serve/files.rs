//! Maps a request path to a file inside the served output, refusing anything that could leave
//! it (`..` plain or percent-encoded, encoded slashes, backslashes, NUL, empty segments,
//! symlinks pointing outside), and names the MIME type of what is served.

use std::path::{Path, PathBuf};

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A regular file inside the output (canonical path).
    File(PathBuf),
    /// A directory asked for without its trailing slash: redirect to this path.
    Redirect(String),
    /// The path tries to leave the output, or is malformed.
    Forbidden,
    NotFound,
}

/// The output-relative path named by the path part of a request target (query removed),
/// or `None` if the path must be refused.
fn relative(path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix('/')?;
    let mut rel = PathBuf::new();
    let segments: Vec<&str> = rest.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            // Only the end may be empty (`/`, `/chapters/one/`); `//etc/passwd` is refused.
            if i + 1 == segments.len() {
                break;
            }
            return None;
        }
        let decoded = String::from_utf8(crate::urls::percent_decode(seg, false)?).ok()?;
        if decoded == "." || decoded == ".." || decoded.contains(['/', '\\', '\0']) {
            return None;
        }
        rel.push(decoded);
    }
    Some(rel)
}

/// Resolves `path` (the request path, without query) under `root`, the canonical output
/// directory. Symlinks are followed only when their target stays inside `root`.
pub fn resolve(root: &Path, path: &str) -> Target {
    let Some(rel) = relative(path) else { return Target::Forbidden };
    let inside = |p: &Path| match p.canonicalize() {
        Ok(c) if c.starts_with(root) => Ok(c),
        Ok(_) => Err(Target::Forbidden),
        Err(_) => Err(Target::NotFound),
    };
    let found = match inside(&root.join(&rel)) {
        Ok(c) => c,
        Err(t) => return t,
    };
    if !found.is_dir() {
        return if found.is_file() { Target::File(found) } else { Target::NotFound };
    }
    if !path.ends_with('/') {
        return Target::Redirect(format!("{path}/"));
    }
    match inside(&found.join("index.html")) {
        Ok(c) if c.is_file() => Target::File(c),
        Ok(_) => Target::NotFound,
        Err(t) => t,
    }
}

/// The `Content-Type` for a file name; text types carry `charset=utf-8`.
pub fn mime(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_traversal_in_every_spelling() {
        for bad in [
            "/../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/.%2e/site.toml",
            "/..%2fsite.toml",
            "/a/..%2F..%2Fsite.toml",
            "/..\\site.toml",
            "/..%5csite.toml",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/a//b",
            "/./index.html",
            "/a%00.html",
            "/%zz",
            "/%e",
            "/%+f",
            "relative",
        ] {
            assert_eq!(relative(bad), None, "{bad}");
        }
    }

    #[test]
    fn decodes_plain_paths() {
        assert_eq!(relative("/"), Some(PathBuf::new()));
        assert_eq!(relative("/chapters/one/"), Some(PathBuf::from("chapters/one")));
        assert_eq!(relative("/a%20b/%ED%95%9C.html"), Some(PathBuf::from("a b/한.html")));
    }

    #[test]
    fn text_types_are_utf8() {
        for f in ["a.html", "a.css", "a.js", "a.json", "a.xml", "a.txt", "a.svg"] {
            assert!(mime(Path::new(f)).ends_with("; charset=utf-8"), "{f}");
        }
        assert_eq!(mime(Path::new("a.PNG")), "image/png");
        assert_eq!(mime(Path::new("noext")), "application/octet-stream");
    }
}

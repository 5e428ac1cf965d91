//! The `reportgen` command line: parses arguments, calls the library, prints results.
//!
//! Output manners: results and one summary line go to stdout; diagnostics go to stderr, in
//! colour only when stderr is a terminal and `NO_COLOR` is not set. `--quiet` prints errors
//! only; `--verbose` adds stage timings and every warning.
//!
//! Exit codes: 0 success (warnings allowed); 1 the site has errors (build or check failed) or
//! the command refused to overwrite; 2 the command line is wrong (unknown option, invalid id);
//! 3 the command could not run (serve: no port; check: no temporary directory).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use reportgen::check::{self, CheckOptions, CheckReport, Finding};
use reportgen::error::count;
use reportgen::scaffold::{self, Kind};
use reportgen::serve::{self, ServeOptions};
use reportgen::{BuildOptions, Diagnostic, Error, build};

/// jemalloc: the build allocates and frees many small strings on two threads, where it spends
/// about a sixth less time than the system allocator (measured at 10,000 chapters).
#[cfg(all(unix, not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read by it at start-up (`MALLOC_CONF` in the environment still
/// overrides them): freed pages go back to the system after 200 ms instead of 10 s, so the peak
/// stays the system allocator's (257 vs 298 MiB at 10,000 chapters, same speed).
///
/// Where the platform allows (Linux), jemalloc also serves the C code's `malloc` (Oniguruma's,
/// which allocates for every regex search while highlighting): it goes by the plain names, and
/// reads its options from `malloc_conf`; elsewhere by `_rjem_` ones.
#[cfg(all(unix, not(target_env = "msvc")))]
#[unsafe(export_name = "malloc_conf")]
static MALLOC_CONF: &u8 = JEMALLOC_OPTIONS;
#[cfg(all(unix, not(target_env = "msvc")))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static RJEM_MALLOC_CONF: &u8 = JEMALLOC_OPTIONS;
#[cfg(all(unix, not(target_env = "msvc")))]
const JEMALLOC_OPTIONS: &u8 = &b"dirty_decay_ms:200,muzzy_decay_ms:0\0"[0];

const EXIT_ERRORS: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_CANNOT_RUN: u8 = 3;

#[derive(Parser)]
#[command(name = "reportgen", version, about = "Publishes a research report as a linked, cross-referenced static website")]
struct Cli {
    /// Site root: the directory with site.toml, content/ and themes/.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: stage timings and every warning.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people: errors, a summary of warnings, one summary line.
    Text,
    /// One JSON object on stdout: counts and every finding.
    Json,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    Chapter,
    Table,
    Figure,
    Company,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory (atomically: on error nothing changes).
    Build {
        /// Output directory (default: output_dir from site.toml, usually public/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Base URL to publish under, e.g. https://example.org/reports/china-4ir/
        #[arg(long)]
        base_url: Option<String>,
        /// Print the time spent in each pipeline stage.
        #[arg(long)]
        timings: bool,
    },
    /// Serve a live preview on 127.0.0.1, rebuilding and reloading on every change and
    /// checking each good build.
    Serve {
        /// Port to listen on (0: any free port); fails if it is taken. Without it: 1111, or the
        /// next free port if that is taken.
        #[arg(long)]
        port: Option<u16>,
    },
    /// Validate everything build does, plus links, anchors, images, orphans and mentions.
    Check {
        /// Base URL to check links under (default: base_url from site.toml).
        #[arg(long)]
        base_url: Option<String>,
        /// Output format: text for people, json or github for CI.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write a starter file for a new chapter, table, figure or company.
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// Id (slug for chapters): lowercase letters, digits and '-'.
        id: String,
    },
    /// Create a minimal new report site that builds out of the box.
    Init {
        /// Directory to create the site in (must be empty or absent).
        dir: PathBuf,
    },
}

/// Whether to colour output written to a stream: only on a terminal, never with `NO_COLOR`.
fn use_color(is_terminal: bool, no_color: Option<OsString>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Writes diagnostics and summaries in the chosen manner.
struct Printer {
    color: bool,
    quiet: bool,
    verbose: bool,
}

impl Printer {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }

    /// `error: path:line:col: message` (help on the next line), to stderr.
    fn diagnostic(&self, d: &Diagnostic) {
        if !d.is_error() && self.quiet {
            return;
        }
        let label = if d.is_error() { self.paint("1;31", "error") } else { self.paint("1;33", "warning") };
        let text = d.to_string().replacen("warning: ", "", 1);
        let text = match text.split_once("\n  help: ") {
            Some((main, help)) => format!("{main}\n  {}: {help}", self.paint("1;36", "help")),
            None => text,
        };
        eprintln!("{label}: {text}");
    }

    fn errors(&self, e: &Error) {
        for d in &e.diagnostics {
            self.diagnostic(d);
        }
    }

    /// A failure summary, to stderr, even when quiet.
    fn failed(&self, s: &str) {
        eprintln!("{}", self.paint("1;31", s));
    }

    /// A result line, to stdout, unless quiet.
    fn info(&self, s: &str) {
        if !self.quiet {
            println!("{s}");
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> ExitCode {
    // Output piped into `head` and closed early ends the process quietly, as Unix tools do,
    // instead of a panic about a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of a signal is always sound.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let p =
        Printer { color: use_color(std::io::stderr().is_terminal(), std::env::var_os("NO_COLOR")), quiet: cli.quiet, verbose: cli.verbose };
    match cli.command {
        Command::Build { out, base_url, timings } => {
            run_build(&p, BuildOptions { root: cli.root, out, base_url, inject: None, exit_after: true }, timings)
        }
        Command::Serve { port } => match serve::run(&ServeOptions { root: cli.root, port, quiet: cli.quiet }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                p.errors(&e);
                ExitCode::from(EXIT_CANNOT_RUN)
            }
        },
        Command::Check { base_url, format } => run_check(&p, &CheckOptions { root: cli.root, base_url }, format),
        Command::New { kind, id } => {
            let kind = match kind {
                NewKind::Chapter => Kind::Chapter,
                NewKind::Table => Kind::Table,
                NewKind::Figure => Kind::Figure,
                NewKind::Company => Kind::Company,
            };
            run_new(&p, &cli.root, kind, &id)
        }
        Command::Init { dir } => run_init(&p, &dir),
    }
}

fn run_build(p: &Printer, opts: BuildOptions, timings: bool) -> ExitCode {
    match build(&opts) {
        Ok(r) => {
            for w in &r.warnings {
                p.diagnostic(w);
            }
            p.info(&format!(
                "built {} pages ({} files, {:.1} KiB, search index {:.1} KiB) into {} in {}",
                r.pages,
                r.files,
                r.bytes as f64 / 1024.0,
                r.search_bytes as f64 / 1024.0,
                r.out_dir.display(),
                ms(r.elapsed)
            ));
            if timings || p.verbose {
                println!("{}", r.timings);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            p.errors(&e);
            p.failed(&format!("build failed with {}; the output directory was left as it was", count(e.diagnostics.len(), "error")));
            ExitCode::from(EXIT_ERRORS)
        }
    }
}

fn run_check(p: &Printer, opts: &CheckOptions, format: Format) -> ExitCode {
    let report = match check::run(opts) {
        Ok(r) => r,
        Err(e) => {
            p.errors(&e);
            p.failed("check could not run");
            return ExitCode::from(EXIT_CANNOT_RUN);
        }
    };
    match format {
        Format::Json => println!("{}", json_report(&report)),
        Format::Github => {
            for f in &report.findings {
                println!("{}", github_annotation(&opts.root, f));
            }
            println!("{}", check_summary(&report));
        }
        Format::Text => {
            for f in &report.findings {
                if f.is_error() || p.verbose {
                    p.diagnostic(&f.diagnostic);
                }
            }
            if !p.verbose && !p.quiet && report.warnings() > 0 {
                let mut kinds: BTreeMap<check::Kind, usize> = BTreeMap::new();
                for f in report.findings.iter().filter(|f| !f.is_error()) {
                    *kinds.entry(f.kind).or_default() += 1;
                }
                for (kind, n) in kinds {
                    eprintln!("{}: {}: {n}", p.paint("1;33", "warning"), kind.describe());
                }
                eprintln!("(run with --verbose to see each warning)");
            }
            if report.errors() > 0 {
                p.failed(&check_summary(&report));
            } else {
                p.info(&check_summary(&report));
            }
            if p.verbose {
                let t = &report.timings;
                println!(
                    "  analyze  {:>10}\n  render   {:>10}\n  links    {:>10}\n  content  {:>10}",
                    ms(t.analyze),
                    ms(t.render),
                    ms(t.links),
                    ms(t.content)
                );
            }
        }
    }
    if report.errors() > 0 { ExitCode::from(EXIT_ERRORS) } else { ExitCode::SUCCESS }
}

fn check_summary(r: &CheckReport) -> String {
    let what = if r.pages > 0 {
        format!("checked {} pages and {}", r.pages, count(r.links, "link"))
    } else {
        "check stopped at the content".into()
    };
    let verdict = if r.errors() > 0 { "check failed" } else { "check passed" };
    format!("{what}: {verdict} with {} and {} in {}", count(r.errors(), "error"), count(r.warnings(), "warning"), ms(r.elapsed))
}

/// What `check --format json` prints.
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    pages: usize,
    links: usize,
    findings: &'a [Finding],
}

fn json_report(r: &CheckReport) -> String {
    let v = JsonReport { errors: r.errors(), warnings: r.warnings(), pages: r.pages, links: r.links, findings: &r.findings };
    serde_json::to_string_pretty(&v).expect("findings serialize")
}

/// Escapes text for a GitHub workflow command: `%`, CR and LF always; `:` and `,` in properties.
fn github_escape(s: &str, property: bool) -> String {
    let mut out = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// `::error file=…,line=…,col=…,title=…::message` for one finding; the file only when it is a
/// file of the repository (not a rendered page).
fn github_annotation(root: &Path, f: &Finding) -> String {
    let d = &f.diagnostic;
    let level = if d.is_error() { "error" } else { "warning" };
    let mut props = Vec::new();
    if let Some(file) = &d.file
        && root.join(file).exists()
    {
        let path = root.join(file);
        let shown = path.strip_prefix(".").unwrap_or(&path).to_string_lossy().into_owned();
        props.push(format!("file={}", github_escape(&shown, true)));
        if d.line > 0 {
            props.push(format!("line={}", d.line));
        }
        if d.col > 0 {
            props.push(format!("col={}", d.col));
        }
    }
    let kind = serde_json::to_value(f.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    props.push(format!("title={}", github_escape(&kind, true)));
    let mut message = d.message.clone();
    // A file that is not in the repository (a rendered page) stays in the message.
    if let Some(file) = &d.file
        && !props.iter().any(|p| p.starts_with("file="))
    {
        message = format!("{file}: {message}");
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!("::{level} {}::{}", props.join(","), github_escape(&message, false))
}

fn run_new(p: &Printer, root: &Path, kind: Kind, id: &str) -> ExitCode {
    if let Err(e) = scaffold::check_id(kind, id) {
        p.errors(&e);
        return ExitCode::from(EXIT_USAGE);
    }
    match scaffold::new_item(root, kind, id) {
        Ok(path) => {
            let shown = path.strip_prefix(".").unwrap_or(&path).display().to_string();
            p.info(&format!("created {shown}"));
            let next = match kind {
                Kind::Chapter => "next: write its text; it is listed in the contents by its `order`".to_string(),
                Kind::Table => format!("next: fill it in, then place it in a chapter on a line of its own: ![](table:{id})"),
                Kind::Figure => format!("next: fill it in, then place it in a chapter on a line of its own: ![](figure:{id})"),
                Kind::Company => "next: set its name as the report writes it; mentions of the name are linked automatically".to_string(),
            };
            p.info(&format!("  {next}"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            p.errors(&e);
            ExitCode::from(EXIT_ERRORS)
        }
    }
}

fn run_init(p: &Printer, dir: &Path) -> ExitCode {
    match scaffold::init_site(dir) {
        Ok(files) => {
            p.info(&format!("created a new report site in {} ({} files)", dir.display(), files.len()));
            p.info(&format!("  next: reportgen --root {} build    (or serve, to preview while editing)", dir.display()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            p.errors(&e);
            ExitCode::from(EXIT_ERRORS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(use_color(true, None));
        assert!(!use_color(false, None));
        assert!(!use_color(true, Some("1".into())));
        assert!(use_color(true, Some("".into())), "an empty NO_COLOR does not count");
    }

    #[test]
    fn github_annotations_escape_and_locate() {
        let d = Diagnostic::error("broken link `/a,b/`: 100%").in_file("Cargo.toml").at(3, 4).with_help("fix it");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let line = github_annotation(root, &Finding::new(check::Kind::BrokenLink, d));
        let file = github_escape(&root.join("Cargo.toml").to_string_lossy(), true);
        assert_eq!(line, format!("::error file={file},line=3,col=4,title=broken-link::broken link `/a,b/`: 100%25%0Ahelp: fix it"));
        let d = Diagnostic::warning("no anchor").in_file("chapters/a/index.html").at(9, 1);
        let line = github_annotation(root, &Finding::new(check::Kind::MissingAnchor, d));
        assert_eq!(line, "::warning title=missing-anchor::chapters/a/index.html: no anchor");
    }
}

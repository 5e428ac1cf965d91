//! The `reportgen` command line: parses arguments, calls the library, prints results.
//!
//! Exit codes: 0 success; 1 the site has errors (build or check failed); 2 the command
//! line is wrong; 3 the command could not run (port or file system trouble).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use reportgen::check::{self, CheckOptions};
use reportgen::scaffold::{self, Kind};
use reportgen::serve::{self, ServeOptions};
use reportgen::{BuildOptions, Diagnostic, Error, build};

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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
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
    /// Serve a live preview on 127.0.0.1, rebuilding and reloading on every change.
    Serve {
        /// Port to listen on; the next free port is used if it is taken.
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Validate everything build does, plus links, anchors, images, orphans and mentions.
    Check {
        /// Base URL to check links under (default: base_url from site.toml).
        #[arg(long)]
        base_url: Option<String>,
        /// Output format: text for people, json for CI annotations.
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

/// Writes diagnostics to stderr, in colour only on a terminal (and never with NO_COLOR).
struct Printer {
    color: bool,
    quiet: bool,
}

impl Printer {
    fn new(quiet: bool) -> Self {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Printer { color, quiet }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }

    fn diagnostic(&self, d: &Diagnostic) {
        if !d.is_error() && self.quiet {
            return;
        }
        let text = d.to_string();
        let label = if d.is_error() { self.paint("1;31", "error") } else { self.paint("1;33", "warning") };
        // `path:line:col: message` keeps its shape; the kind goes in front.
        eprintln!("{label}: {}", text.replacen("warning: ", "", 1));
    }

    fn error(&self, e: &Error) {
        for d in &e.diagnostics {
            self.diagnostic(d);
        }
    }

    fn info(&self, s: &str) {
        if !self.quiet {
            println!("{s}");
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let p = Printer::new(cli.quiet);
    match cli.command {
        Command::Build { out, base_url, timings } => {
            let opts = BuildOptions { root: cli.root, out, base_url, inject: None };
            match build(&opts) {
                Ok(r) => {
                    for w in &r.warnings {
                        p.diagnostic(w);
                    }
                    p.info(&format!(
                        "built {} pages ({} files, {:.1} KiB, search index {:.1} KiB) into {} in {:.1} ms",
                        r.pages,
                        r.files,
                        r.bytes as f64 / 1024.0,
                        r.search_bytes as f64 / 1024.0,
                        r.out_dir.display(),
                        r.elapsed.as_secs_f64() * 1000.0
                    ));
                    if timings || cli.verbose {
                        println!("{}", r.timings);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    p.error(&e);
                    eprintln!(
                        "{}",
                        p.paint(
                            "1;31",
                            &format!("build failed with {} error(s); the output directory was left as it was", e.diagnostics.len())
                        )
                    );
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve { port } => match serve::run(&ServeOptions { root: cli.root, port, quiet: cli.quiet }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                p.error(&e);
                ExitCode::from(3)
            }
        },
        Command::Check { base_url, format } => match check::run(&CheckOptions { root: cli.root, base_url }) {
            Ok(report) => {
                let errors = report.findings.iter().filter(|d| d.is_error()).count();
                let warnings = report.findings.len() - errors;
                match format {
                    Format::Json => println!("{}", serde_json::to_string_pretty(&report.findings).expect("findings serialize")),
                    Format::Text => {
                        for d in &report.findings {
                            if d.is_error() || cli.verbose {
                                p.diagnostic(d);
                            }
                        }
                        if warnings > 0 && !cli.verbose && !cli.quiet {
                            let mut kinds: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
                            for d in report.findings.iter().filter(|d| !d.is_error()) {
                                *kinds.entry(d.message.split(':').next().unwrap_or("").to_string()).or_default() += 1;
                            }
                            for (k, n) in kinds {
                                eprintln!("{}: {n} × {k}", p.paint("1;33", "warning"));
                            }
                            eprintln!("(run with --verbose to see every warning)");
                        }
                        p.info(&format!("check: {errors} error(s), {warnings} warning(s)"));
                    }
                }
                if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
            }
            Err(e) => {
                if let Format::Json = format {
                    println!("{}", serde_json::to_string_pretty(&e.diagnostics).expect("findings serialize"));
                } else {
                    p.error(&e);
                }
                ExitCode::from(1)
            }
        },
        Command::New { kind, id } => {
            let kind = match kind {
                NewKind::Chapter => Kind::Chapter,
                NewKind::Table => Kind::Table,
                NewKind::Figure => Kind::Figure,
                NewKind::Company => Kind::Company,
            };
            match scaffold::new_item(&cli.root, kind, &id) {
                Ok(path) => {
                    p.info(&format!("created {}", path.display()));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    p.error(&e);
                    ExitCode::from(1)
                }
            }
        }
        Command::Init { dir } => match scaffold::init_site(&dir) {
            Ok(files) => {
                p.info(&format!(
                    "created a new report site in {} ({} files); build it with: reportgen --root {} build",
                    dir.display(),
                    files.len(),
                    dir.display()
                ));
                ExitCode::SUCCESS
            }
            Err(e) => {
                p.error(&e);
                ExitCode::from(1)
            }
        },
    }
}

//! The `reportgen` command line: parses arguments and calls the library; nothing else.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use reportgen::{BuildOptions, build};

#[derive(Parser)]
#[command(name = "reportgen", version, about = "Publishes a research report as a linked, cross-referenced static website")]
struct Cli {
    /// Site root: the directory with site.toml, content/ and themes/.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { out, base_url, timings } => {
            let opts = BuildOptions { root: cli.root, out, base_url, inject: None };
            match build(&opts) {
                Ok(r) => {
                    println!(
                        "built {} pages ({} files, {:.1} KiB) into {} in {:.1} ms",
                        r.pages,
                        r.files,
                        r.bytes as f64 / 1024.0,
                        r.out_dir.display(),
                        r.elapsed.as_secs_f64() * 1000.0
                    );
                    if timings {
                        println!("{}", r.timings);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    eprintln!("error: build failed; the output directory was left as it was");
                    ExitCode::from(1)
                }
            }
        }
    }
}

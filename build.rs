//! Links the `reportgen` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable (rustc's default) carries about 20,000 relative
//! relocations, and applying them at start-up writes to some hundred pages of its read-only
//! data: a copy-on-write page fault each. Linked at a fixed address, the loader has nothing to
//! relocate: `reportgen --version` takes 293 → 187 page faults and about 0.4 ms less, the
//! report's cold build about 0.4 ms (4%) less. The cost is that the executable's own image is
//! not placed at a random address (its libraries, stack and heap still are), as with most Go
//! tools. Only the binaries are linked so: the library, tests' code and proc-macros are not.
//! Set `REPORTGEN_PIE=1` when building to keep the default.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=REPORTGEN_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if linux && std::env::var_os("REPORTGEN_PIE").is_none_or(|v| v != "1") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

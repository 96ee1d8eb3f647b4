//! The `sangtao` command: a thin layer over the library (see `cli`).

mod cli;

use clap::Parser;

/// mimalloc: the build allocates many short-lived strings on every thread at once, where it
/// beats the system allocator clearly (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = cli::Cli::parse();
    let code = match cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("sangtao: {e:#}");
            }
            2
        }
    };
    std::process::exit(code);
}

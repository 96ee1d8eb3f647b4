//! The `sangtao` command: a thin layer over the library (see `cli`).

mod cli;

use clap::Parser;

/// mimalloc: the build allocates many short-lived strings on every thread at once, where it
/// takes about 15% less CPU than the system allocator, and `serve`'s updates twice as little
/// time. Built without transparent huge pages, which cost 50 MB of peak memory on the 10k build
/// for no gain in speed (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (the same index in its v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory mapped instead of returning it to the OS after a second. For `serve`: a
/// long-lived process that re-allocates much the same memory on every save, where giving pages
/// back and faulting them in again on the next save cost a third of the update's time
/// (docs/serve.md).
fn keep_freed_memory() {
    // SAFETY: `mi_option_set` takes an option index and an integer, is thread-safe, and the
    // index is checked against mimalloc's default by a test below.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// Threads of a build beyond one per core. Creating the output's files makes the file system
/// read the bitmaps and inode tables of the block groups it allocates in, when they are not in
/// memory (after a reboot, or on a machine whose memory went to other work), and a thread that
/// waits for the disk leaves its core idle: the 10k build used 1.7 of 2 cores. One thread more
/// keeps them busy meanwhile (10k corpus, caches dropped, 8 alternating builds: 1.26 -> 1.23 s,
/// and 1.47 -> 1.41 s on a nearly full disk, where the waits are many more; 230 -> 234 MB; two
/// more gave nothing more and took 247 MB; docs/performance.md). rayon's own
/// `RAYON_NUM_THREADS`, when set, decides instead.
const EXTRA_BUILD_THREADS: usize = 1;

fn start_build_threads() {
    if std::env::var_os("RAYON_NUM_THREADS").is_some() {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    // Fails only if the pool already exists, which then keeps its size.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(cores + EXTRA_BUILD_THREADS)
        .build_global();
}

fn main() {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Serve(_) => keep_freed_memory(),
        cli::Command::Build(_) => start_build_threads(),
        _ => {}
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reading and writing an option by index; see keep_freed_memory.
        let default = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            default, 1000,
            "mimalloc v3 purges freed memory after 1000 ms"
        );
        keep_freed_memory();
        let now = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(now, -1);
    }
}

//! The `ocigw` command line; see `ocigw --help`.

/// mimalloc instead of the system allocator: a decoded answer or a bulk row is many small
/// allocations, and glibc's malloc and free were a quarter of the decode time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ocigw::cli::main()
}

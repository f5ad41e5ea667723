//! The `ocigw` command line; see `ocigw --help`.

fn main() -> std::process::ExitCode {
    ocigw::cli::main()
}

//! Integration tests: everything over real TCP (or TLS) on 127.0.0.1 port 0, with the simulator
//! started inside the test. One binary, one module per subject.

mod api;
mod batching;
mod browser;
mod bulk;
mod bulk_stream;
mod catalog;
mod common;
mod concurrency;
mod contract;
mod faults;
mod framing;
mod fuzz;
mod hostile;
mod http;
mod lifecycle;
mod login;
mod oci_commands;
mod one_path;
mod operator;
mod readme_examples;
mod record;
mod schemas;
mod sim_answers;
mod sim_control;
mod soak;
mod tls;
mod wire_dump;

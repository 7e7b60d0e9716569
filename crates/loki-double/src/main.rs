//! `loki-double`: a test double of the Loki HTTP API (see the library docs and README).

use std::io::Write;
use std::net::TcpListener;
use std::process::ExitCode;

use loki_double::api::App;
use loki_double::cli::{parse_args, Command, HELP};
use loki_double::http::server::{serve, Handler};
use loki_double::http::Request;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse_args(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("loki-double: {e}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Command::Version => {
            println!(
                "loki-double {} (a test double of the Loki HTTP API)",
                env!("CARGO_PKG_VERSION")
            );
            ExitCode::SUCCESS
        }
        Command::Query {
            data,
            options,
            params,
        } => {
            let app = App::new(data, options);
            let req = Request {
                method: "GET".into(),
                path: "/loki/api/v1/query_range".into(),
                params,
                ..Request::default()
            };
            let resp = app.handle(&req);
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(resp.body_bytes());
            let _ = writeln!(out);
            if resp.status == 200 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Serve {
            listen,
            data,
            options,
        } => {
            let listener = match TcpListener::bind(&listen) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("loki-double: cannot listen on {listen}: {e}");
                    return ExitCode::from(1);
                }
            };
            let addr = listener
                .local_addr()
                .map_or(listen.clone(), |a| a.to_string());
            println!(
                "loki-double (a Loki HTTP API test double) listening on http://{addr} dataset={:?} cors={}",
                data.dataset, options.cors
            );
            let _ = std::io::stdout().flush();
            serve(listener, App::new(data, options));
            ExitCode::SUCCESS
        }
    }
}

//! Command-line arguments, parsed by hand (no dependencies).

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Lint { files: Vec<String> },
    Import { file: String },
    Fmt { files: Vec<String>, check: bool },
    Help,
    Version,
}

/// Shown with `--help` and after a usage error.
pub const USAGE: &str = "\
Usage:
  sightline lint FILE...           report every problem (JSON path, line, column) and what
                                   Sightline does not render; exit 1 if any file has errors
  sightline import FILE            print FILE (a Grafana export) normalised to Sightline's form
  sightline fmt [--check] FILE...  rewrite files with canonical formatting (--check: only report)
  sightline --help | --version

FILE may be - for standard input (lint and import).
";

/// Reads the arguments after the program name.
///
/// # Errors
/// A message naming what is wrong.
pub fn parse(argv: &[String]) -> Result<Command, String> {
    let Some((first, rest)) = argv.split_first() else {
        return Err("missing command".to_owned());
    };
    let files: Vec<String> = rest.iter().filter(|a| !is_flag(a)).cloned().collect();
    let flags: Vec<&str> = rest
        .iter()
        .filter(|a| is_flag(a))
        .map(String::as_str)
        .collect();
    let no_flags = |flags: &[&str]| match flags.first() {
        Some(flag) => Err(format!("unknown option {flag}")),
        None => Ok(()),
    };
    match first.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "-V" | "--version" => Ok(Command::Version),
        "lint" => {
            no_flags(&flags)?;
            if files.is_empty() {
                return Err("lint needs at least one FILE".to_owned());
            }
            Ok(Command::Lint { files })
        }
        "import" => {
            no_flags(&flags)?;
            match files.as_slice() {
                [file] => Ok(Command::Import { file: file.clone() }),
                _ => Err("import needs exactly one FILE".to_owned()),
            }
        }
        "fmt" => {
            let check = flags.contains(&"--check");
            no_flags(
                &flags
                    .iter()
                    .copied()
                    .filter(|f| *f != "--check")
                    .collect::<Vec<_>>(),
            )?;
            if files.is_empty() || files.iter().any(|f| f == "-") {
                return Err("fmt needs at least one FILE (not standard input)".to_owned());
            }
            Ok(Command::Fmt { files, check })
        }
        other => Err(format!("unknown command {other:?}")),
    }
}

fn is_flag(arg: &str) -> bool {
    arg.starts_with('-') && arg != "-"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn reads_each_command() {
        assert_eq!(
            parse(&args(&["lint", "a.json", "b.json"])),
            Ok(Command::Lint {
                files: args(&["a.json", "b.json"])
            })
        );
        assert_eq!(
            parse(&args(&["import", "-"])),
            Ok(Command::Import { file: "-".into() })
        );
        assert_eq!(
            parse(&args(&["fmt", "--check", "a.json"])),
            Ok(Command::Fmt {
                files: args(&["a.json"]),
                check: true
            })
        );
        assert_eq!(parse(&args(&["--help"])), Ok(Command::Help));
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        assert!(parse(&args(&[])).is_err());
        assert!(parse(&args(&["lint"])).is_err());
        assert!(parse(&args(&["lint", "--fix", "a"])).is_err());
        assert!(parse(&args(&["import", "a", "b"])).is_err());
        assert!(parse(&args(&["fmt", "-"])).is_err());
        assert!(parse(&args(&["frobnicate"])).is_err());
    }
}

//! A tiny walker over `--name value` / `--name=value` command-line options.

use crate::error::UsageError;

/// Walks `--name value` and `--name=value` options.
pub struct Options<'a> {
    command: &'static str,
    args: &'a [String],
    at: usize,
    inline_value: Option<String>,
}

impl<'a> Options<'a> {
    pub fn new(command: &'static str, args: &'a [String]) -> Self {
        Self {
            command,
            args,
            at: 0,
            inline_value: None,
        }
    }

    pub fn next_option(&mut self) -> Option<String> {
        let arg = self.args.get(self.at)?;
        self.at += 1;
        match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                self.inline_value = Some(value.to_owned());
                Some(name.to_owned())
            }
            _ => {
                self.inline_value = None;
                Some(arg.clone())
            }
        }
    }

    pub fn value(&mut self, option: &str) -> Result<String, UsageError> {
        if let Some(value) = self.inline_value.take() {
            return Ok(value);
        }
        let value = self
            .args
            .get(self.at)
            .ok_or_else(|| UsageError::MissingValue(option.to_owned()))?;
        self.at += 1;
        Ok(value.clone())
    }

    pub fn unknown(&self, option: String) -> UsageError {
        UsageError::UnknownOption {
            command: self.command,
            option,
        }
    }
}

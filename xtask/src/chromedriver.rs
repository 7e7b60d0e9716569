//! A chromedriver process for the end-to-end tests, stopped when dropped.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::cmd::Result;

/// The port chromedriver listens on during the tests.
pub const PORT: u16 = 9515;

/// A running chromedriver.
pub struct Chromedriver {
    child: Child,
}

impl Chromedriver {
    /// Starts `/usr/bin/chromedriver` and waits until it answers.
    ///
    /// # Errors
    /// When it does not start or answer within `timeout`.
    pub fn start(timeout: Duration) -> Result<Self> {
        let child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={PORT}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?;
        let driver = Chromedriver { child };
        if sightline_testkit::http::wait_until_up(&format!("{}/status", driver.url()), &[], timeout)
        {
            Ok(driver)
        } else {
            Err("chromedriver did not answer on its port".to_owned())
        }
    }

    /// `http://127.0.0.1:9515`
    #[must_use]
    pub fn url(&self) -> String {
        sightline_testkit::stack::url(PORT)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

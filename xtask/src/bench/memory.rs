//! The memory figure on the real app: JS heap + wasm memory of the GPU overview after 200
//! refreshes against after 1, as the median of several runs that each open the page afresh.

use std::time::Duration;

use serde_json::json;
use sightline_testkit::webdriver::Browser;

use super::app::WAIT;
use super::driver::wait_for_json;
use super::report::{Figure, Target};
use crate::cmd::Result;

const SETTLE_SCRIPT: &str = "
  const busy = document.querySelector('#refresh-now[aria-busy=true]');
  const pending = [...document.querySelectorAll('.panel')].some(p => p.dataset.state === 'waiting' || p.dataset.state === 'loading');
  return !busy && !pending && document.querySelectorAll('.panel').length > 0;";

/// Starts `count` refreshes inside the page, one after the other, each waiting until every panel
/// has settled; `window.__benchRefreshes` counts the finished ones.
const REFRESH_SCRIPT: &str = "
  const count = arguments[0];
  window.__benchRefreshes = 0;
  const settled = () => {
    const busy = document.querySelector('#refresh-now[aria-busy=true]');
    const pending = [...document.querySelectorAll('.panel')].some(p => p.dataset.state === 'waiting' || p.dataset.state === 'loading');
    return !busy && !pending;
  };
  const sleep = (ms) => new Promise(r => setTimeout(r, ms));
  (async () => {
    for (let i = 0; i < count; i++) {
      document.getElementById('refresh-now').click();
      await sleep(30);
      for (let waited = 0; !settled() && waited < 60000; waited += 20) await sleep(20);
      window.__benchRefreshes = i + 1;
    }
  })();
  return true;";

const MEMORY_SCRIPT: &str = "
  if (!window.__sightlineWasm) return JSON.stringify({error: 'the probe did not see the wasm start'});
  window.gc(); window.gc();
  return JSON.stringify({heap: performance.memory.usedJSHeapSize, wasm: window.__sightlineWasm.memory.buffer.byteLength});";

fn refresh(browser: &Browser, count: u32) -> Result<()> {
    browser
        .execute(REFRESH_SCRIPT, &[json!(count)])
        .map_err(|e| e.to_string())?;
    browser
        .wait_until(
            "refreshes done",
            &format!("return window.__benchRefreshes >= {count};"),
            Duration::from_secs(u64::from(count) * 30 + 60),
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// JS heap and wasm memory in bytes.
type Memory = (f64, f64);

fn memory(browser: &Browser) -> Result<Memory> {
    let v = wait_for_json(browser, "memory", MEMORY_SCRIPT, Duration::from_secs(10))?;
    Ok((
        v["heap"].as_f64().unwrap_or(f64::NAN),
        v["wasm"].as_f64().unwrap_or(f64::NAN),
    ))
}

/// One memory run: the GPU overview opened afresh, then memory after 1 refresh, after
/// `refreshes`, and the seconds the rest took.
struct MemoryRun {
    after_one: Memory,
    after_many: Memory,
    seconds: f64,
}

impl MemoryRun {
    fn total(memory: Memory) -> f64 {
        memory.0 + memory.1
    }

    fn ratio(&self) -> f64 {
        MemoryRun::total(self.after_many) / MemoryRun::total(self.after_one)
    }
}

fn memory_run(browser: &Browser, base: &str, refreshes: u32) -> Result<MemoryRun> {
    browser
        .goto(&format!("{base}/d/gpu-fleet"))
        .map_err(|e| e.to_string())?;
    browser
        .wait_until("panels settled", SETTLE_SCRIPT, WAIT)
        .map_err(|e| e.to_string())?;
    refresh(browser, 1)?;
    let after_one = memory(browser)?;
    let started = std::time::Instant::now();
    refresh(browser, refreshes.saturating_sub(1))?;
    let seconds = started.elapsed().as_secs_f64();
    let after_many = memory(browser)?;
    Ok(MemoryRun {
        after_one,
        after_many,
        seconds,
    })
}

/// The run whose ratio is the median of `runs` (the lower middle one of an even count).
fn median_run(mut runs: Vec<MemoryRun>) -> Option<MemoryRun> {
    runs.sort_by(|a, b| a.ratio().total_cmp(&b.ratio()));
    let middle = runs.len().checked_sub(1)? / 2;
    runs.into_iter().nth(middle)
}

/// JS heap + wasm memory of the GPU overview after 200 refreshes against after 1: the run with
/// the median ratio of `runs`, each opening the page afresh.
#[must_use]
pub fn memory_figure(browser: &Browser, base: &str, refreshes: u32, runs: u32) -> Figure {
    let figure = format!("JS heap + wasm memory after {refreshes} refreshes of the GPU overview");
    let reference = "the same after 1 refresh";
    let measured = (0..runs.max(1))
        .map(|_| memory_run(browser, base, refreshes))
        .collect::<Result<Vec<MemoryRun>>>();
    let ratios = measured.as_ref().map_or_else(
        |_| String::new(),
        |all| {
            all.iter()
                .map(|run| format!("{:.2}×", run.ratio()))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    match measured.map(median_run) {
        Ok(Some(run)) => {
            let mb = |b: f64| b / 1e6;
            let ((heap1, wasm1), (heap_n, wasm_n)) = (run.after_one, run.after_many);
            Figure::measured(
                &figure,
                mb(MemoryRun::total(run.after_many)),
                "MB",
                reference,
                Some(mb(MemoryRun::total(run.after_one))),
                Target::RatioAtMost(1.10),
                "growth ≤ 10% (ratio ≤ 1.10)",
            )
            .with_note(format!(
                "the median of {runs} runs, each opening the page afresh (ratios {ratios}): after 1: JS heap {:.1} MB + wasm {:.1} MB; after {refreshes}: JS heap {:.1} MB + wasm {:.1} MB (after `gc()`, `performance.memory` with precise info); {} refreshes took {:.0} s",
                mb(heap1),
                mb(wasm1),
                mb(heap_n),
                mb(wasm_n),
                refreshes.saturating_sub(1),
                run.seconds,
            ))
        }
        Ok(None) => Figure::blocked(&figure, "MB", reference, "growth ≤ 10%", "no run"),
        Err(e) => Figure::blocked(&figure, "MB", reference, "growth ≤ 10%", &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(after_one: f64, after_many: f64) -> MemoryRun {
        MemoryRun {
            after_one: (after_one, 0.0),
            after_many: (0.0, after_many),
            seconds: 30.0,
        }
    }

    #[test]
    fn the_memory_figure_is_the_run_with_the_median_growth() {
        let picked = median_run(vec![run(10.0, 12.0), run(10.0, 9.0), run(8.0, 8.8)]);
        assert_eq!(picked.map(|r| r.ratio()), Some(1.1));
        let even = median_run(vec![run(10.0, 12.0), run(10.0, 9.0)]);
        assert_eq!(even.map(|r| r.ratio()), Some(0.9), "the lower of two");
        assert!(median_run(Vec::new()).is_none());
    }
}

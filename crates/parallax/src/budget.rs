//! A time budget for one stage on one document.
//!
//! [`run_within`] runs a piece of work and gives up waiting for it when it
//! takes longer than the budget: the run goes on without that work's output,
//! and the caller turns the [`Cut`] into a warning naming the document. The
//! work itself cannot be stopped from outside (Rust has no safe way to kill a
//! thread), so it runs on a thread of its own that is left to finish in the
//! background and whose result is dropped; in the `parallax` binary the
//! process exits when the analysis file is written, which ends such threads.
//! A panic inside the work is reported the same way, as a [`Cut`], instead of
//! taking the run down.
//!
//! Without a budget (`None`) the work runs inline, on the caller's thread,
//! exactly as if called directly: no thread, no catching of panics. The
//! output never depends on timing unless a budget is exceeded.
//!
//! ```
//! use parallax::budget::{run_within, Cut};
//! use std::time::Duration;
//!
//! assert_eq!(run_within(Some(Duration::from_secs(5)), || 6 * 7), Ok(42));
//! let slow = run_within(Some(Duration::from_millis(10)), || {
//!     std::thread::sleep(Duration::from_millis(500));
//! });
//! assert!(matches!(slow, Err(Cut::TimedOut(_))));
//! ```

use std::sync::mpsc;
use std::time::Duration;

/// Why a piece of work gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cut {
    /// It took longer than the budget (given).
    TimedOut(Duration),
    /// It panicked; the panic's message when it had one.
    Panicked(String),
    /// No thread could be started for it.
    NoThread(String),
}

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cut::TimedOut(limit) => {
                write!(f, "took longer than the time budget of {} ms", limit.as_millis())
            }
            Cut::Panicked(message) => write!(f, "failed with an internal error: {message}"),
            Cut::NoThread(message) => write!(f, "could not be started: {message}"),
        }
    }
}

/// Runs `work`, waiting at most `limit` for its result; `None` runs it inline.
pub fn run_within<T: Send + 'static>(
    limit: Option<Duration>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Cut> {
    let Some(limit) = limit else { return Ok(work()) };
    let (sender, receiver) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("parallax-stage".to_string())
        .spawn(move || {
            let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            // The receiver is gone when the budget ran out: nobody wants the result.
            let _ = sender.send(res);
        })
        .map_err(|e| Cut::NoThread(e.to_string()))?;
    match receiver.recv_timeout(limit) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(payload)) => Err(Cut::Panicked(panic_message(payload.as_ref()))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Cut::TimedOut(limit)),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(Cut::Panicked("the stage's thread ended without a result".to_string()))
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_budget_work_runs_inline() {
        let caller = std::thread::current().id();
        assert_eq!(run_within(None, move || std::thread::current().id() == caller), Ok(true));
    }

    #[test]
    fn slow_work_is_cut_and_fast_work_kept() {
        let res = run_within(Some(Duration::from_millis(20)), || {
            std::thread::sleep(Duration::from_secs(2));
            1
        });
        assert_eq!(res, Err(Cut::TimedOut(Duration::from_millis(20))));
        assert!(res.unwrap_err().to_string().contains("time budget of 20 ms"));
        assert_eq!(run_within(Some(Duration::from_secs(10)), || "done"), Ok("done"));
    }

    #[test]
    fn a_panic_becomes_a_cut() {
        let res: Result<(), Cut> =
            run_within(Some(Duration::from_secs(10)), || panic!("index out of bounds"));
        assert_eq!(res, Err(Cut::Panicked("index out of bounds".to_string())));
    }
}

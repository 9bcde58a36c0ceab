//! Calls into the learner's code so that a panic (a `todo!()` among them) comes back as a value
//! with its message and place. The part's process then still writes its report, and can say
//! which input the code panicked on; the process boundary handles what unwinding cannot catch
//! (aborts, stack overflows, endless loops).

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// A panic in the learner's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked {
    pub message: String,
    /// `file.rs:line` where it panicked, when that is the learner's file rather than a
    /// dependency's or the standard library's.
    pub location: Option<String>,
}

impl Panicked {
    /// Whether this is a `todo!()` still in place.
    pub fn is_todo(&self) -> bool {
        self.message.starts_with("not yet implemented")
    }
}

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = (self.location.as_deref()).map_or(String::new(), |l| format!(" at {l}"));
        if self.is_todo() {
            write!(f, "not implemented yet: the todo!(){at} is still there")
        } else {
            write!(f, "panicked{at}: {}", self.message)
        }
    }
}

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<Panicked>> = const { RefCell::new(None) };
}

/// Installs, once, a panic hook that records panics on threads inside [`call`] instead of
/// printing them, and leaves every other panic to the hook that was there before.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CAPTURING.with(Cell::get) {
                return previous(info);
            }
            let message = info.payload_as_str().unwrap_or("(no message)").to_string();
            let location = info
                .location()
                .filter(|l| !is_dependency(l.file()))
                .map(|l| {
                    let file = std::path::Path::new(l.file())
                        .file_name()
                        .map_or(l.file().into(), |n| n.to_string_lossy());
                    format!("{file}:{}", l.line())
                });
            CAUGHT.with(|c| *c.borrow_mut() = Some(Panicked { message, location }));
        }));
    });
}

/// A file of the standard library or of a crate from a registry: not where the learner looks.
fn is_dependency(file: &str) -> bool {
    file.starts_with("/rustc/") || file.contains("/.cargo/registry/") || file.contains("/library/")
}

/// Runs `f`, turning a panic into [`Panicked`].
pub fn call<T>(f: impl FnOnce() -> T) -> Result<T, Panicked> {
    install_hook();
    let outer = CAPTURING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(outer));
    result.map_err(|payload| {
        CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| Panicked {
                message: payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".to_string()),
                location: None,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_todo_and_a_panic_come_back_with_their_messages() {
        let todo = call(|| -> u8 { todo!() }).unwrap_err();
        assert!(todo.is_todo());
        assert_eq!(
            todo.to_string(),
            format!(
                "not implemented yet: the todo!() at isolate.rs:{} is still there",
                line!() - 6
            )
        );
        let index = call(|| [1, 2][std::hint::black_box(5)]).unwrap_err();
        assert!(!index.is_todo());
        assert!(
            index.to_string().contains(": index out of bounds"),
            "{index}"
        );
        assert_eq!(call(|| 7), Ok(7));
    }
}

//! Fast paths beside the readable code: the same algorithms, rearranged for speed. Each function
//! here has a readable twin elsewhere in the library, and a test proves the two agree.

pub mod backprop;
pub mod descent;
pub mod gemm;
pub mod gradcheck;
pub mod memory;
pub mod vmath;

pub use backprop::cost_and_gradient;
pub use gradcheck::check_network;
pub use memory::prepared;

/// Which kernels the fast paths run: the CPU's vector extensions, or the portable code
/// (`BACKPROP_BOOK_KERNELS=portable`), so that a run can prove it does not depend on the CPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernels {
    /// AVX2 and FMA where the CPU has them (checked at run time).
    Native,
    /// The baseline instruction set, one rounding per multiply and per add.
    Portable,
}

/// The variable that chooses [`Kernels`]: unset or `native`, or `portable`.
pub const KERNELS_VAR: &str = "BACKPROP_BOOK_KERNELS";

/// The kernels this process runs, read once from [`KERNELS_VAR`]. Any other value is named on
/// stderr (once) and the native kernels run.
pub fn kernels() -> Kernels {
    static CHOSEN: std::sync::OnceLock<Kernels> = std::sync::OnceLock::new();
    *CHOSEN.get_or_init(|| match std::env::var(KERNELS_VAR).as_deref() {
        Err(_) | Ok("" | "native") => Kernels::Native,
        Ok("portable") => Kernels::Portable,
        Ok(other) => {
            eprintln!(
                "{KERNELS_VAR}={other:?} is not a choice (expected `native` or `portable`); \
                 running the native kernels"
            );
            Kernels::Native
        }
    })
}

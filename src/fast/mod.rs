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

//! Helpers shared by the unit tests.

/// A fixed pseudo-random sequence (Knuth's 64-bit LCG, its high bits): the same numbers on
/// every run, for tests that try many generated strings.
pub(crate) fn lcg(mut seed: u64) -> impl FnMut() -> usize {
    move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    }
}

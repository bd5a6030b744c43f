//! Evaluation against public benchmark data sets (read from disk at run time).
pub mod aeb;
pub mod conll;
pub mod ecbevents;
pub mod ecbstories;
pub mod fnc1;
pub mod framing;
pub mod polnear;
pub mod scaling;
pub mod speed;
pub mod tempeval;
pub mod trafeval;

/// `num / den`, or 0 when there is nothing to divide by.
pub(crate) fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// The harmonic mean of precision and recall, or 0 when both are 0.
pub(crate) fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

//! Evaluation against public benchmark data sets (read from disk at run time).
pub mod aeb;
pub mod conll;
pub mod ecbstories;
pub mod polnear;
pub mod tempeval;
pub mod trafeval;

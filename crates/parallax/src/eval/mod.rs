//! Evaluation against public benchmark data sets (read from disk at run time).

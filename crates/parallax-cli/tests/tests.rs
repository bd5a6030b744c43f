//! End-to-end tests of the `parallax` binary: golden scores on the seed
//! corpus (read from ../shared at test time), determinism, bad input, and the
//! examples corpus.

mod cli;
mod golden;
mod hostile;
mod support;

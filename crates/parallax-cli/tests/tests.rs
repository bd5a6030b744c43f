//! End-to-end tests of the `parallax` binary: golden scores on the seed
//! corpus (read from ../shared at test time), determinism, bad input, the
//! examples corpus, the store, the server and the browser.

mod browser;
mod cli;
mod golden;
mod hostile;
mod serve;
mod server;
mod store;
mod support;

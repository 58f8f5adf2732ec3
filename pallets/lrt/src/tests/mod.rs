//! Unit tests of the LRT pallet, one file per topic.

mod conversions;
mod create;
mod fairness;

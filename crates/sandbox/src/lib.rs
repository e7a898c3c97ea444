//! placeholder: the sandbox issue fills this crate.

//! The static Vietnamese search index.

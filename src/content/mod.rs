//! Loading `content/`: front matter, units, entries, pages and assets, as plain data.

pub mod entry;
pub mod fields;
pub mod frontmatter;
pub mod load;
pub mod model;
pub mod unit;

pub use model::{Asset, Content, Details, Entry, Kind, Role, Unit};

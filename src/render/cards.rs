//! Entry cards as template values, and the `card` template function that renders each card's
//! HTML once per build and reuses it.
//!
//! An entry's card appears on many pages: its type's listing, the pages and section listings of
//! every unit it names, every topic it carries, the related lists of other entries, the home
//! page. Rendering the theme's `card.html` anew for each appearance was the larger part of the
//! listings' cost, so `{{ card(item, level, show_kind) }}` renders it once per entry and
//! variant and hands out the same HTML after that. A card's HTML depends only on the entry and
//! the two arguments (and on the globals `site` and `t`, which are fixed for a build), never on
//! the page it appears on.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::{context, Error, State, Value};

use crate::site::EntryId;

/// Heading levels a cached card may have (`<h2>` to `<h6>`).
const LEVELS: std::ops::RangeInclusive<i64> = 2..=6;
/// Cached variants per entry: every level, with and without the kind label.
const VARIANTS: usize = 10;

/// An entry card as a template value: a map of its fields (see docs/theme.md), which also knows
/// which entry it is, so that the `card` function can cache its HTML.
#[derive(Debug)]
pub struct CardObject {
    pub id: EntryId,
    fields: Value,
}

impl CardObject {
    pub fn value(id: EntryId, fields: Value) -> Value {
        Value::from_object(CardObject { id, fields })
    }
}

impl Object for CardObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.fields.get_item(key).ok().filter(|v| !v.is_undefined())
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.fields.get_attr(key).ok().filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.fields.try_iter() {
            Ok(keys) => Enumerator::Values(keys.collect()),
            Err(_) => Enumerator::Empty,
        }
    }
}

/// The rendered HTML of every card variant, filled as pages ask for them.
pub struct CardHtml {
    slots: Vec<OnceLock<Value>>,
    /// How many times `card.html` was rendered, and the time it took summed over threads, in
    /// ns (for `SANGTAO_TIMINGS`).
    renders: AtomicU64,
    render_ns: AtomicU64,
}

impl CardHtml {
    pub fn new(entries: usize) -> Arc<CardHtml> {
        Arc::new(CardHtml {
            slots: (0..entries * VARIANTS).map(|_| OnceLock::new()).collect(),
            renders: AtomicU64::new(0),
            render_ns: AtomicU64::new(0),
        })
    }

    /// How many times `card.html` was rendered so far, and the time it took, summed over
    /// threads.
    pub fn renders(&self) -> (u64, std::time::Duration) {
        (
            self.renders.load(Ordering::Relaxed),
            std::time::Duration::from_nanos(self.render_ns.load(Ordering::Relaxed)),
        )
    }

    fn slot(&self, id: EntryId, level: i64, show_kind: bool) -> Option<&OnceLock<Value>> {
        if !LEVELS.contains(&level) {
            return None;
        }
        let k = id * VARIANTS + (level - LEVELS.start()) as usize * 2 + usize::from(show_kind);
        self.slots.get(k)
    }

    /// The `card(item, level=2, show_kind=false)` template function: `card.html` rendered
    /// with `item`, `level` and `show_kind`, as safe HTML. A card made by sangtao is rendered
    /// once per variant; any other value (a theme's own map) is rendered every time.
    pub fn function(
        self: &Arc<Self>,
    ) -> impl Fn(&State<'_, '_>, Value, Option<i64>, Option<bool>) -> Result<Value, Error>
           + Send
           + Sync
           + 'static {
        let cache = Arc::clone(self);
        move |state, item, level, show_kind| {
            let level = level.unwrap_or(2);
            let show_kind = show_kind.unwrap_or(false);
            let render = || -> Result<Value, Error> {
                let start = std::time::Instant::now();
                let html = state.env().get_template("card.html")?.render(context! {
                    item => item.clone(),
                    level => level,
                    show_kind => show_kind,
                });
                cache.renders.fetch_add(1, Ordering::Relaxed);
                cache
                    .render_ns
                    .fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
                Ok(Value::from_safe_string(html?))
            };
            let slot = item
                .downcast_object_ref::<CardObject>()
                .and_then(|c| cache.slot(c.id, level, show_kind));
            match slot {
                Some(slot) => {
                    if let Some(v) = slot.get() {
                        return Ok(v.clone());
                    }
                    let v = render()?;
                    Ok(slot.get_or_init(|| v).clone())
                }
                None => render(),
            }
        }
    }
}

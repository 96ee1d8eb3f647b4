//! The `fragment` template function: a part of every page that depends only on the site-wide
//! globals (`site`, `t`, `now`) and one small key, rendered once per build and key.
//!
//! The header (site name, search box, main menu) and the footer are the same on every page but
//! for the menu item marked as the current page. Rendering them anew for each of a portal's
//! pages cost about a quarter of an entry page's render (10k corpus, eleventh round: 8 of 31
//! µs); `{{ fragment("header.html", page.nav_current) }}` renders `header.html` once for each
//! distinct `nav_current` (the menu's few URLs and the empty string) and hands out the same
//! HTML after that.

use std::sync::{Arc, RwLock};

use minijinja::{context, Error, State, Value};

/// The HTML of every fragment rendered so far in this build, with its template name and key (a
/// handful: a list is searched faster than a map's key would be hashed).
#[derive(Default)]
pub struct Fragments {
    html: RwLock<Vec<(String, Value, Value)>>,
}

impl Fragments {
    pub fn new() -> Arc<Fragments> {
        Arc::new(Fragments::default())
    }

    fn get(&self, name: &str, key: &Value) -> Option<Value> {
        let list = self.html.read().ok()?;
        list.iter()
            .find(|(n, k, _)| n == name && k == key)
            .map(|(_, _, html)| html.clone())
    }

    /// The `fragment(name, key=none)` template function: the template `name` rendered with the
    /// globals and `key` as its only variables, as safe HTML, once per build and `(name, key)`.
    pub fn function(
        self: &Arc<Self>,
    ) -> impl Fn(&State<'_, '_>, &str, Option<Value>) -> Result<Value, Error> + Send + Sync + 'static
    {
        let cache = Arc::clone(self);
        move |state, name, key| {
            let key = key.unwrap_or(Value::from(()));
            if let Some(html) = cache.get(name, &key) {
                return Ok(html);
            }
            let html = Value::from_safe_string(
                state
                    .env()
                    .get_template(name)?
                    .render(context! { key => key.clone() })?,
            );
            // Another thread may have rendered it meanwhile: the same bytes, so either is kept.
            if let Ok(mut list) = cache.html.write() {
                if let Some((_, _, first)) = list.iter().find(|(n, k, _)| n == name && *k == key) {
                    return Ok(first.clone());
                }
                list.push((name.to_string(), key, html.clone()));
            }
            Ok(html)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::Environment;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn env(counter: Arc<AtomicUsize>) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.add_global("site", context! { title => "Cổng <ĐMST>" });
        env.add_function("count", move || {
            counter.fetch_add(1, Ordering::Relaxed);
            String::new()
        });
        env.add_template(
            "nav.html",
            "{{ count() }}<b>{{ site.title }}</b>{% if key %} [{{ key }}]{% endif %}{% if page is defined %}{{ page }}{% endif %}",
        )
        .unwrap();
        env.add_function("fragment", Fragments::new().function());
        env
    }

    #[test]
    fn a_fragment_is_rendered_once_per_key_with_only_the_globals_and_its_key() {
        let counter = Arc::new(AtomicUsize::new(0));
        let env = env(Arc::clone(&counter));
        let page = "{{ fragment('nav.html', page.key) }}|{{ fragment('nav.html') }}";
        let render = |key: &str| {
            env.render_str(page, context! { page => context! { key, url => "/x/" } })
                .unwrap()
        };
        // Escaped once, not again when the page prints it; the page's own variables unseen.
        assert_eq!(
            render("a&b"),
            "<b>Cổng &lt;ĐMST&gt;</b> [a&amp;b]|<b>Cổng &lt;ĐMST&gt;</b>"
        );
        assert_eq!(counter.load(Ordering::Relaxed), 2);
        assert_eq!(
            render("a&b"),
            "<b>Cổng &lt;ĐMST&gt;</b> [a&amp;b]|<b>Cổng &lt;ĐMST&gt;</b>"
        );
        assert_eq!(
            counter.load(Ordering::Relaxed),
            2,
            "both came from the cache"
        );
        assert_eq!(
            render("c"),
            "<b>Cổng &lt;ĐMST&gt;</b> [c]|<b>Cổng &lt;ĐMST&gt;</b>"
        );
        assert_eq!(
            counter.load(Ordering::Relaxed),
            3,
            "a new key renders once more"
        );
    }

    #[test]
    fn a_missing_fragment_is_an_error_of_the_page() {
        let env = env(Arc::new(AtomicUsize::new(0)));
        let err = env
            .render_str("{{ fragment('nope.html') }}", context! {})
            .unwrap_err();
        assert_eq!(err.kind(), minijinja::ErrorKind::TemplateNotFound);
    }
}

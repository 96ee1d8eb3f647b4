//! The minijinja environment: templates from the theme, the filters of docs/theme.md, and the
//! site-wide globals (`site`, `t`, `now`), set up once per build.

use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::{Environment, Error, ErrorKind, Value};

use crate::diagnostics::{Diagnostic, Severity};
use crate::render::theme::Theme;
use crate::site::Site;
use crate::text::dates::{format_long, format_short, Date, Lang};

/// Builds the environment for a site and theme.
pub fn environment(
    site: &Site,
    theme: &Theme,
    globals: Vec<(&'static str, Value)>,
) -> Environment<'static> {
    let mut env = Environment::new();
    let loader_theme = Arc::new(theme.clone());
    env.set_loader(move |name| Ok(loader_theme.template(name)));
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".xml") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Lenient);
    env.set_formatter(format_value);
    let lang = site.config.language;
    env.add_filter("date", move |v: Value| date_filter(&v, lang, true));
    env.add_filter("date_short", move |v: Value| date_filter(&v, lang, false));
    let base = site.config.base_path.clone();
    env.add_filter("url", move |v: String| -> String {
        format!("{base}{}", v.trim_start_matches('/'))
    });
    // `safe` hands an already safe value back as it is; minijinja's own copies it twice, and
    // every entry page passes its whole body through it.
    env.add_filter("safe", safe);
    env.add_function("unit_link", |u: Value, short: Option<bool>| {
        let mut out = String::new();
        unit_link(&mut out, &u, short.unwrap_or(false));
        Value::from_safe_string(out)
    });
    env.add_function("unit_links", |units: Value, short: Option<bool>| {
        let mut out = String::new();
        if let Ok(items) = units.try_iter() {
            for (k, u) in items.enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                unit_link(&mut out, &u, short.unwrap_or(false));
            }
        }
        Value::from_safe_string(out)
    });
    for (name, value) in globals {
        env.add_global(name, value);
    }
    env
}

/// The `safe` filter: marks a value as safe HTML, handing an already safe one back as it is.
fn safe(v: Value) -> Value {
    if v.is_safe() {
        v
    } else {
        Value::from_safe_string(v.to_string())
    }
}

/// The theme's strings (`t`) as a template value: a map looked up by hashing, where a map
/// made by `Value::from_serialize` would compare its keys one by one (`t` is read dozens of
/// times on every page).
#[derive(Debug)]
struct StringsObject {
    map: rustc_hash::FxHashMap<String, Value>,
    /// The keys in order, for iteration.
    keys: Vec<Value>,
}

impl Object for StringsObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.map.get(key.as_str()?).cloned()
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.map.get(key).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.keys.clone())
    }
}

/// The `t` global of the templates.
pub fn strings_value(strings: &crate::render::context::Strings) -> Value {
    Value::from_object(StringsObject {
        map: strings
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
        keys: strings.keys().map(|k| Value::from(k.as_str())).collect(),
    })
}

/// A *unit ref* as HTML: a link to the unit's page, or the name in a `<span>` for free text (an
/// empty `url`); its note, when present, follows in parentheses. `short` prefers the short
/// name. A missing or empty value gives an empty `<span>`.
fn unit_link(out: &mut String, u: &Value, short: bool) {
    let attr = |name: &str| -> String {
        u.get_attr(name)
            .ok()
            .filter(|v| v.is_true())
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    let short_name = if short {
        attr("short_name")
    } else {
        String::new()
    };
    let label = if short_name.is_empty() {
        attr("name")
    } else {
        short_name
    };
    let url = attr("url");
    let esc = crate::render::numbers::escape_into;
    if url.is_empty() {
        out.push_str("<span>");
        esc(out, &label);
        out.push_str("</span>");
    } else {
        out.push_str("<a href=\"");
        esc(out, &url);
        out.push_str("\">");
        esc(out, &label);
        out.push_str("</a>");
    }
    let note = attr("note");
    if !note.is_empty() {
        out.push_str(" (");
        esc(out, &note);
        out.push(')');
    }
}

/// Prints values, escaping `& < > " '` when auto-escaping is on (minijinja's default escaper also
/// escapes `/`, which makes every URL in the output harder to read for no safety gain).
fn format_value(
    out: &mut minijinja::Output<'_>,
    state: &minijinja::State<'_, '_>,
    value: &Value,
) -> Result<(), Error> {
    if state.auto_escape() == minijinja::AutoEscape::None || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    if value.is_undefined() || value.is_none() {
        return Ok(());
    }
    let text = match value.as_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(value.to_string()),
    };
    crate::render::numbers::escape_to(out, &text).map_err(Error::from)
}

fn date_filter(v: &Value, lang: Lang, long: bool) -> Result<String, Error> {
    let s = v.as_str().unwrap_or_default();
    if s.is_empty() {
        return Ok(String::new());
    }
    let d = Date::parse_iso(s.get(..10).unwrap_or(s)).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("`date` expects a date like 2023-02-14, got {s:?}"),
        )
    })?;
    Ok(if long {
        format_long(d, lang)
    } else {
        format_short(d)
    })
}

/// A template error as a diagnostic, located in the template file.
pub fn template_error(
    theme: &Theme,
    err: &minijinja::Error,
    fallback: &str,
    lang: Lang,
) -> Diagnostic {
    let name = err.name().unwrap_or(fallback);
    let path = theme.display_path(&format!("templates/{name}"));
    let line = err.line().unwrap_or(1);
    let source = theme.template(name);
    let source_line = source
        .as_deref()
        .and_then(|s| s.lines().nth(line.saturating_sub(1)).map(str::to_string));
    // The column of the span minijinja reports, when it lies on the reported line.
    let column = match (err.range(), source.as_deref()) {
        (Some(r), Some(src)) => match crate::diagnostics::locate(src, r.start) {
            (l, c, _) if l == line => c,
            _ => 1,
        },
        _ => 1,
    };
    let mut detail = err.to_string();
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        detail.push_str(": ");
        detail.push_str(&c.to_string());
        cause = c.source();
    }
    let message = crate::diagnostics::tr(
        lang,
        format!("lỗi mẫu giao diện (template) {name}: {detail}"),
        format!("template error in {name}: {detail}"),
    );
    let help = match err.kind() {
        ErrorKind::TemplateNotFound => crate::diagnostics::tr(
            lang,
            "mẫu được extends/include không tồn tại trong giao diện của trang lẫn giao diện mặc định",
            "the template named by extends/include exists neither in the site's theme nor in the default theme",
        ),
        _ => crate::diagnostics::tr(
            lang,
            "sửa mẫu tại dòng này (cú pháp Jinja2: {{ biến }}, {% if %}...{% endif %})",
            "fix the template at this line (Jinja2 syntax: {{ variable }}, {% if %}...{% endif %})",
        ),
    };
    Diagnostic {
        path,
        line,
        column,
        severity: Severity::Error,
        message,
        help: Some(help),
        source_line,
    }
}

#[cfg(test)]
mod tests {
    use super::unit_link;
    use minijinja::{context, Value};

    fn link(u: Value, short: bool) -> String {
        let mut out = String::new();
        unit_link(&mut out, &u, short);
        out
    }

    #[test]
    fn unit_link_is_the_markup_of_a_unit_ref() {
        let school = context! {
            slug => "thcs-a", name => "Trường THCS A & B", short_name => "THCS A",
            url => "/don-vi/thcs-a/", note => "",
        };
        assert_eq!(
            link(school.clone(), false),
            r#"<a href="/don-vi/thcs-a/">Trường THCS A &amp; B</a>"#
        );
        assert_eq!(
            link(school, true),
            r#"<a href="/don-vi/thcs-a/">THCS A</a>"#
        );
        let free = context! {
            slug => "", name => "Các cơ sở <giáo dục>", short_name => "", url => "",
            note => "để báo cáo",
        };
        assert_eq!(
            link(free.clone(), true),
            "<span>Các cơ sở &lt;giáo dục&gt;</span> (để báo cáo)"
        );
        assert_eq!(link(Value::from(()), false), "<span></span>");
        assert_eq!(link(Value::UNDEFINED, true), "<span></span>");
    }

    #[test]
    fn safe_marks_text_safe_and_keeps_safe_values() {
        let mut env = minijinja::Environment::new();
        env.add_filter("safe", super::safe);
        let ctx = minijinja::context! {
            html => Value::from_safe_string("<b>đậm</b>".into()),
            text => "<i>",
            n => 5,
        };
        env.add_template(
            "t.html",
            "{{ html | safe }}|{{ text | safe }}|{{ text }}|{{ n | safe }}|{{ html }}",
        )
        .unwrap();
        let out = env.get_template("t.html").unwrap().render(ctx).unwrap();
        assert_eq!(out, "<b>đậm</b>|<i>|&lt;i&gt;|5|<b>đậm</b>");
    }

    #[test]
    fn strings_look_up_like_a_map() {
        let strings: crate::render::context::Strings = [("home", "Trang chủ"), ("page", "Trang")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut env = minijinja::Environment::new();
        env.add_global("t", super::strings_value(&strings));
        let out = env
            .render_str(
                "{{ t.home }}|{{ t['pa' ~ 'ge'] }}|{{ t.missing is undefined }}|{{ t | length }}|{% for k in t %}{{ k }},{% endfor %}",
                minijinja::context! {},
            )
            .unwrap();
        assert_eq!(out, "Trang chủ|Trang|True|2|home,page,");
    }
}

//! `check`: everything `build` validates, plus the links and images of every body, and a note
//! for each draft or scheduled entry, without writing anything.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::build::check_site;
use crate::diagnostics::{self, tr, Diagnostic, Severity};
use crate::render::context::link;
use crate::render::markdown::LinkResolver;
use crate::render::{number_linker, render_bodies, SiteLinks};
use crate::routes::routes;
use crate::site::Site;
use crate::text::dates::Date;

/// The result of `check`.
pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks the site at `root`.
pub fn check(root: &Path, now: Date, drafts: bool) -> CheckReport {
    let checked = check_site(root, now, drafts);
    let mut diags = checked.diagnostics;
    if let Some(site) = &checked.site {
        diags.extend(unpublished_notes(site));
        if let Some(theme) = &checked.theme {
            diags.extend(check_links(site, theme));
        }
    }
    crate::build::fill_excerpts(root, &mut diags);
    diagnostics::sort(&mut diags);
    CheckReport { diagnostics: diags }
}

/// A note for every draft and scheduled entry, so reviewers see what is held back.
pub fn unpublished_notes(site: &Site) -> Vec<Diagnostic> {
    let lang = site.config.language;
    let mut out = Vec::new();
    for e in &site.entries {
        let scheduled = e.date.filter(|d| *d > site.now);
        let (message, pos) = if e.draft {
            (
                tr(
                    lang,
                    "bản nháp: sẽ không được đăng",
                    "draft: it will not be published",
                ),
                e.draft_pos,
            )
        } else if let Some(d) = scheduled {
            (
                tr(
                    lang,
                    format!("hẹn đăng ngày {}: chưa xuất hiện trên trang", d.iso()),
                    format!("scheduled for {}: not on the site yet", d.iso()),
                ),
                e.date_pos,
            )
        } else {
            continue;
        };
        out.push(Diagnostic {
            path: e.source.clone(),
            line: pos.line.max(1) as usize,
            column: pos.column.max(1) as usize,
            severity: Severity::Note,
            message,
            help: None,
            source_line: None,
        });
    }
    out
}

/// Every output URL of the site, and the heading ids of each entry page.
fn outputs(site: &Site, theme: &crate::render::theme::Theme) -> HashSet<String> {
    let statics: Vec<String> = theme.static_files().into_iter().map(|(n, _)| n).collect();
    let mut set = HashSet::new();
    for r in routes(site, &statics) {
        if let Some(dir) = r.path.strip_suffix("index.html") {
            set.insert(link(site, dir));
        }
        set.insert(link(site, &r.path));
    }
    set
}

fn check_links(site: &Site, theme: &crate::render::theme::Theme) -> Vec<Diagnostic> {
    let lang = site.config.language;
    let linker = number_linker(site);
    let bodies = render_bodies(site, &linker);
    let urls = outputs(site, theme);
    let ids_by_url: HashMap<String, &Vec<String>> = (0..site.entries.len())
        .filter(|&id| site.published[id])
        .map(|id| (link(site, &site.urls[id]), &bodies[id].ids))
        .collect();
    let mut out = Vec::new();
    for (id, e) in site.entries.iter().enumerate() {
        if !site.published[id] {
            continue;
        }
        let page_url = link(site, &site.urls[id]);
        let resolver = SiteLinks {
            site,
            content_path: &e.content_path,
        };
        for l in &bodies[id].links {
            if l.is_image && l.missing_alt {
                out.push(Diagnostic {
                    path: e.source.clone(),
                    line: l.line,
                    column: l.column,
                    severity: Severity::Warning,
                    message: tr(
                        lang,
                        format!("ảnh `{}` không có mô tả (alt)", l.dest),
                        format!("image `{}` has no alt text", l.dest),
                    ),
                    help: Some(tr(
                        lang,
                        "viết mô tả trong ngoặc vuông: ![Học sinh thi robot](anh.jpg), để người khiếm thị cũng hiểu ảnh",
                        "describe the image in the brackets: ![Students at the robot contest](photo.jpg), for readers who cannot see it",
                    )),
                    source_line: None,
                });
            }
            let dest = l.dest.trim();
            if dest.is_empty()
                || dest.contains("://")
                || dest.starts_with("//")
                || dest.starts_with("mailto:")
                || dest.starts_with("tel:")
            {
                continue;
            }
            let target = resolver
                .resolve(dest)
                .unwrap_or_else(|| join_url(&page_url, dest));
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (target.clone(), None),
            };
            let path = path.split('?').next().unwrap_or("").to_string();
            let path = if path.is_empty() {
                page_url.clone()
            } else {
                path
            };
            let exists = urls.contains(&path) || urls.contains(&format!("{path}/"));
            let link_help = || {
                tr(
                    lang,
                    "dùng đường dẫn tới tệp nội dung (../plans/2023/ke-hoach.md) hoặc địa chỉ của trang (/ke-hoach/2023/ke-hoach/)",
                    "link to a content file (../plans/2023/plan.md) or to a page's URL (/ke-hoach/2023/plan/)",
                )
            };
            let problem = if !exists {
                Some((
                    tr(
                        lang,
                        format!("liên kết `{dest}` không dẫn tới trang hay tệp nào của trang web"),
                        format!("the link `{dest}` leads to no page or file of the site"),
                    ),
                    link_help(),
                ))
            } else if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let key = if path.ends_with('/') {
                    path.clone()
                } else {
                    format!("{path}/")
                };
                match ids_by_url.get(&key) {
                    Some(ids) if !ids.contains(&f) => {
                        // Name the anchors the page does have (its heading ids).
                        let help = if ids.is_empty() {
                            tr(
                                lang,
                                "trang này không có đề mục nào để liên kết tới",
                                "that page has no headings to link to",
                            )
                        } else {
                            let mut list: Vec<String> =
                                ids.iter().take(10).map(|i| format!("#{i}")).collect();
                            if ids.len() > 10 {
                                list.push("...".into());
                            }
                            let list = list.join(", ");
                            let near =
                                crate::diagnostics::closest(&f, ids.iter().map(String::as_str))
                                    .map(|c| {
                                        (
                                            format!("có phải `#{c}`? "),
                                            format!("did you mean `#{c}`? "),
                                        )
                                    });
                            let (near_vi, near_en) = near.unwrap_or_default();
                            tr(
                                lang,
                                format!("{near_vi}các mục của trang: {list}"),
                                format!("{near_en}the page's anchors: {list}"),
                            )
                        };
                        Some((
                            tr(
                                lang,
                                format!("liên kết `{dest}`: trang không có mục #{f}"),
                                format!("the link `{dest}`: the page has no #{f} anchor"),
                            ),
                            help,
                        ))
                    }
                    _ => None,
                }
            } else {
                None
            };
            if let Some((message, help)) = problem {
                out.push(Diagnostic {
                    path: e.source.clone(),
                    line: l.line,
                    column: l.column,
                    severity: Severity::Error,
                    message,
                    help: Some(help),
                    source_line: None,
                });
            }
        }
    }
    out
}

/// Resolves a relative URL against a page URL (`/a/b/` + `../c/` = `/a/c/`).
fn join_url(base: &str, rel: &str) -> String {
    if rel.starts_with('/') || rel.starts_with('#') {
        return if rel.starts_with('#') {
            format!("{base}{rel}")
        } else {
            rel.to_string()
        };
    }
    let mut parts: Vec<&str> = base.trim_end_matches('/').split('/').collect();
    let (path, frag) = rel
        .split_once('#')
        .map_or((rel, None), |(p, f)| (p, Some(f)));
    let trailing = path.ends_with('/');
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing {
        out.push('/');
    }
    if let Some(f) = frag {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::join_url;

    #[test]
    fn joins_relative_urls() {
        assert_eq!(join_url("/a/b/", "../c/"), "/a/c/");
        assert_eq!(join_url("/a/b/", "x.pdf"), "/a/b/x.pdf");
        assert_eq!(join_url("/a/b/", "#m"), "/a/b/#m");
    }
}

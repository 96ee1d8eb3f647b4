//! `sangtao build`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use clap::Args;

use sangtao::diagnostics::{render_human, tr};
use sangtao::text::dates::Date;
use sangtao::{BuildError, BuildOptions};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the site (default: public/ inside the site folder).
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Include drafts and scheduled entries (for previews only).
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(root: &Path, now: Date, args: BuildArgs) -> Result<i32> {
    let lang = super::site_language(root);
    let output = args.output.unwrap_or_else(|| root.join("public"));
    let start = Instant::now();
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: output.clone(),
        now,
        drafts: args.drafts,
    };
    match sangtao::build(&opts) {
        Ok(report) => {
            if std::env::var_os("SANGTAO_TIMINGS").is_some() {
                for s in &report.timings {
                    let (name, ms) = (s.name, s.wall.as_millis());
                    if s.resident_mb == 0 {
                        eprintln!("{name:>30}: {ms:>6} ms");
                    } else {
                        eprintln!(
                            "{name:>30}: {ms:>6} ms, cpu {:>5} ms, resident {:>5} MB",
                            s.cpu_ms, s.resident_mb
                        );
                    }
                }
                for r in &report.routes {
                    eprintln!(
                        "{:>30}: render {:>5} ms, write {:>5} ms, summed over threads ({} of them)",
                        format!("({})", r.kind),
                        r.render.as_millis(),
                        r.write.as_millis(),
                        r.count
                    );
                }
                eprintln!("{:>30}: {}", "(threads)", rayon::current_num_threads());
                let (n, t) = report.card_renders;
                eprintln!(
                    "{:>30}: {:>6} ms, summed over threads, part of the pages' render ({n} of them)",
                    "(card.html renders)",
                    t.as_millis()
                );
            }
            eprint!(
                "{}",
                render_human(&report.diagnostics, lang, super::color_stderr())
            );
            eprintln!(
                "{}",
                tr(
                    lang,
                    format!(
                        "Đã tạo {} trang ({} tệp{}) vào {} trong {} ms",
                        report.pages,
                        report.files,
                        if report.reused > 0 {
                            format!(", {} tệp lấy nguyên từ lần dựng trước", report.reused)
                        } else {
                            String::new()
                        },
                        output.display(),
                        start.elapsed().as_millis()
                    ),
                    format!(
                        "Built {} pages ({} files{}) into {} in {} ms",
                        report.pages,
                        report.files,
                        if report.reused > 0 {
                            format!(
                                ", {} taken unchanged from the previous build",
                                report.reused
                            )
                        } else {
                            String::new()
                        },
                        output.display(),
                        start.elapsed().as_millis()
                    ),
                )
            );
            Ok(0)
        }
        Err(BuildError::Content(diags)) => {
            eprint!("{}", render_human(&diags, lang, super::color_stderr()));
            let errors = sangtao::diagnostics::count(&diags, sangtao::Severity::Error);
            eprintln!(
                "{}",
                tr(
                    lang,
                    format!(
                        "Không tạo trang: {errors} lỗi. Thư mục {} giữ nguyên như cũ.",
                        output.display()
                    ),
                    format!(
                        "Nothing built: {errors} error(s). {} is left as it was.",
                        output.display()
                    ),
                )
            );
            Ok(1)
        }
        Err(BuildError::Output(e)) => {
            eprintln!("{}: {e}", tr(lang, "lỗi", "error"));
            Ok(1)
        }
    }
}

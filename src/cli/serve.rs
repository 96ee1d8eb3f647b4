//! `sangtao serve`: parses the flags, starts the library's server, prints its progress, and
//! waits for Ctrl-C.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;

use sangtao::diagnostics::{render_human, tr};
use sangtao::serve::{Rebuilt, ServeOptions, Server};
use sangtao::text::dates::{Date, Lang};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; anything but loopback exposes the preview to the network.
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub bind: IpAddr,
    /// Include drafts and scheduled entries (shown with a badge).
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(root: &Path, now: Date, args: ServeArgs) -> Result<i32> {
    let lang = super::site_language(root);
    let color = super::color_stderr();
    let mut opts = ServeOptions::new(root.to_path_buf(), now);
    opts.bind = args.bind;
    opts.port = args.port;
    opts.drafts = args.drafts;
    opts.on_update = Some(Arc::new(move |rebuilt: &Rebuilt| {
        report(rebuilt, lang, color)
    }));

    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .context("cannot handle Ctrl-C")?;

    let server = Server::start(opts)?;
    let url = server.url();
    if !args.bind.is_loopback() {
        eprintln!(
            "{}",
            tr(
                lang,
                format!(
                    "Cảnh báo: bản xem trước mở cho mạng ngoài qua {}",
                    args.bind
                ),
                format!(
                    "Warning: the preview is open to the network on {}",
                    args.bind
                ),
            )
        );
    }
    eprintln!(
        "{}",
        tr(
            lang,
            format!("Đang phục vụ tại {url} (Ctrl-C để dừng)"),
            format!("Serving at {url} (Ctrl-C to stop)"),
        )
    );
    // For scripts and tests: the one line on stdout.
    println!("listening on {url}");

    let _ = stopped.recv();
    server.stop();
    eprintln!("{}", tr(lang, "Đã dừng.", "Stopped."));
    Ok(0)
}

/// One line per update, with the diagnostics when there are any.
fn report(rebuilt: &Rebuilt, lang: Lang, color: bool) {
    let update = &rebuilt.update;
    let ms = rebuilt.elapsed.as_millis();
    eprint!("{}", render_human(&update.diagnostics, lang, color));
    let line = if !update.ok {
        tr(
            lang,
            format!("Nội dung có lỗi ({ms} ms); vẫn phục vụ bản tốt gần nhất."),
            format!("The content has errors ({ms} ms); still serving the last good version."),
        )
    } else if rebuilt.sources.is_empty() {
        tr(
            lang,
            format!(
                "Đã dựng {} tệp trong bộ nhớ trong {ms} ms.",
                update.changed.len()
            ),
            format!(
                "Built {} files into memory in {ms} ms.",
                update.changed.len()
            ),
        )
    } else {
        tr(
            lang,
            format!(
                "Cập nhật trong {ms} ms: {} tệp thay đổi.",
                update.changed.len()
            ),
            format!(
                "Updated in {ms} ms: {} files changed.",
                update.changed.len()
            ),
        )
    };
    eprintln!("{line}");
}

//! The browser pages: the live viewer (`serve`), the replay viewer (`replay serve`) and the
//! room drawing script and stylesheet they share. Compiled into the binary; no files to deploy.

use axum::http::header;
use axum::response::{Html, IntoResponse};

pub(crate) async fn live_page() -> Html<&'static str> {
    Html(include_str!("web/live.html"))
}

pub(crate) async fn replay_page() -> Html<&'static str> {
    Html(include_str!("web/replay.html"))
}

pub(crate) async fn room_canvas_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("web/room_canvas.js"),
    )
}

pub(crate) async fn viewer_css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("web/viewer.css"),
    )
}

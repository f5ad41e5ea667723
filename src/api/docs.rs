//! `/docs`: the interactive API page (Swagger UI, served by the binary itself from the files
//! vendored into it: no internet needed) over `/openapi.json`. "Authorize" takes the bearer
//! token, and "Try it out" calls this gateway (the document names it as its server).

use std::sync::{Arc, LazyLock};

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use utoipa_swagger_ui::{Config, Url};

use crate::api::error::ApiError;

static CONFIG: LazyLock<Arc<Config<'static>>> = LazyLock::new(|| {
    Arc::new(
        Config::new([
            Url::new("ocigw REST API (hunt groups)", "/openapi.json"),
            Url::new(
                "OCI-P commands (every command of the schema)",
                "/openapi/oci.json",
            ),
        ])
        .try_it_out_enabled(true)
        .persist_authorization(true),
    )
});

/// `/docs`: to the page itself, whose files are addressed relative to `/docs/`.
pub async fn page() -> Redirect {
    Redirect::permanent("/docs/index.html")
}

/// `/docs/{file}`: one file of the page.
pub async fn file(Path(file): Path<String>) -> Response {
    match utoipa_swagger_ui::serve(&file, CONFIG.clone()) {
        Ok(Some(file)) => (
            [(header::CONTENT_TYPE, file.content_type)],
            file.bytes.into_owned(),
        )
            .into_response(),
        Ok(None) => ApiError::not_found("no such file of the API page").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the API page could not be served");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the API page could not be served",
            )
                .into_response()
        }
    }
}

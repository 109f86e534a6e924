//! `Accept: text/csv` on list endpoints marked CSV: every row, streamed from
//! a database cursor through a bounded channel, so memory stays flat however
//! long the list. Exports hold a place in the `csv_exports` gate while they
//! stream, so a flood of them cannot take every database connection.

use std::future::Future;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use tokio::sync::mpsc;

use crate::error::ApiError;
use crate::http::gate::Pass;

/// Whether the client asked for CSV.
pub fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.split(',').any(|m| m.trim().starts_with("text/csv")))
}

/// Writes rows as CSV into the response stream.
pub struct CsvSink {
    writer: csv::Writer<Vec<u8>>,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

/// The client went away; stop producing rows.
#[derive(Debug)]
pub struct Closed;

impl From<Closed> for ApiError {
    fn from(_: Closed) -> Self {
        ApiError::Internal("CSV client disconnected".into())
    }
}

const CHUNK: usize = 64 * 1024;

impl CsvSink {
    /// Writes one row; its fields must follow the header given to [`respond`].
    pub async fn write(&mut self, row: &impl Serialize) -> Result<(), ApiError> {
        self.writer
            .serialize(row)
            .map_err(|e| ApiError::Internal(format!("csv: {e}")))?;
        if self.writer.get_ref().len() >= CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), ApiError> {
        // Later writers skip the header row: it was written with the first chunk.
        let next = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(CHUNK));
        let chunk = std::mem::replace(&mut self.writer, next)
            .into_inner()
            .map_err(|e| ApiError::Internal(format!("csv: {e}")))?;
        if !chunk.is_empty() {
            self.tx
                .send(Ok(Bytes::from(chunk)))
                .await
                .map_err(|_| Closed)?;
        }
        Ok(())
    }
}

/// Rows only: the header row is written once, up front, so that an export
/// with no rows still names its columns.
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::with_capacity(CHUNK))
}

/// A streaming `text/csv` response with `header` as its first row; `produce`
/// writes the rows. `place` is a place in the exports gate, held until the
/// last row is sent, so only so many exports stream at once.
pub fn respond<F, Fut>(
    place: Pass,
    filename: &str,
    header: &'static [&'static str],
    produce: F,
) -> HttpResponse
where
    F: FnOnce(CsvSink) -> Fut + Send + 'static,
    Fut: Future<Output = Result<CsvSink, ApiError>> + Send + 'static,
{
    let (tx, mut rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let mut sink = CsvSink {
        writer: writer(),
        tx: tx.clone(),
    };
    let header_written = sink.writer.write_record(header);
    tokio::spawn(async move {
        let _place = place;
        if let Err(err) = header_written {
            tracing::warn!(error = %err, "CSV header failed");
            return;
        }
        match produce(sink).await {
            Ok(mut sink) => {
                if let Err(err) = sink.flush().await {
                    tracing::warn!(error = %err, "CSV export ended early");
                }
            }
            Err(err) => {
                // Headers are gone already: end the body with an error so the
                // client sees a truncated transfer rather than a short file.
                tracing::warn!(error = %err, "CSV export failed");
                let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
            }
        }
    });
    let body = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(body)
}

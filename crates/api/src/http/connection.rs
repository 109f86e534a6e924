//! The connection under the HTTP codec.
//!
//! actix-http answers a request head it cannot parse (a URL over the `http`
//! crate's 64 KiB limit, a head over 128 KiB, bytes that are not HTTP) on
//! its own, before any middleware runs, with an empty `400` or `431`. This
//! wrapper recognises that one answer as it is written — an empty-bodied
//! 400 or 431 head at the end of the write, which nothing else in the
//! server produces, since every error of ours is a problem document — and
//! writes a problem document in its place, so even those clients get a body
//! that says what went wrong. (URLs up to 64 KiB reach the middleware in
//! `screen`, which answers 414 beyond `LIAISON_MAX_URL_BYTES`.)

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::error::ApiError;

/// A connection whose codec-level error answers become problem documents.
pub struct Connection<IO> {
    io: IO,
    /// Bytes still to write before anything else: the rewritten answer.
    pending: Vec<u8>,
    /// The URL limit the problem's detail quotes.
    max_url_bytes: usize,
}

impl<IO> Connection<IO> {
    /// Wraps an accepted connection.
    pub fn new(io: IO, max_url_bytes: usize) -> Self {
        Self {
            io,
            pending: Vec::new(),
            max_url_bytes,
        }
    }
}

/// The problem document that replaces the codec's answer with `status`.
fn problem_answer(status: u16, max_url_bytes: usize) -> Vec<u8> {
    let error = match status {
        431 => ApiError::HeadTooLarge,
        _ => ApiError::malformed(format!(
            "the request line or headers could not be parsed \
             (URLs may be at most {max_url_bytes} bytes)"
        )),
    };
    let request_id = uuid::Uuid::now_v7().to_string();
    let mut problem = error.problem();
    problem.request_id = Some(request_id.clone());
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let reason = match status {
        431 => "Request Header Fields Too Large",
        _ => "Bad Request",
    };
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/problem+json\r\n\
         content-length: {}\r\nx-request-id: {request_id}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

/// Where, in `buf`, the codec's own empty 400 or 431 answer starts, if `buf`
/// ends with one; and its status.
fn codec_error_answer(buf: &[u8]) -> Option<(usize, u16)> {
    if !buf.ends_with(b"\r\n\r\n") {
        return None;
    }
    for (prefix, status) in [
        (&b"HTTP/1.1 400 Bad Request\r\n"[..], 400),
        (
            &b"HTTP/1.1 431 Request Header Fields Too Large\r\n"[..],
            431,
        ),
    ] {
        let Some(start) = buf.windows(prefix.len()).rposition(|w| w == prefix) else {
            continue;
        };
        let head = &buf[start..];
        // One head and nothing after it: the blank line is its end.
        let blank_lines = head.windows(4).filter(|w| w == b"\r\n\r\n").count();
        let empty = head
            .to_ascii_lowercase()
            .windows(19)
            .any(|w| w == b"content-length: 0\r\n");
        if blank_lines == 1 && empty {
            return Some((start, status));
        }
    }
    None
}

impl<IO: AsyncWrite + Unpin> Connection<IO> {
    /// Writes what is pending; ready once nothing is.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            match Pin::new(&mut self.io).poll_write(cx, &self.pending) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => {
                    self.pending.drain(..n);
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Connection<IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Connection<IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match this.drain(cx) {
            Poll::Ready(Ok(())) => {}
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Pending => return Poll::Pending,
        }
        if let Some((start, status)) = codec_error_answer(buf) {
            this.pending.extend_from_slice(&buf[..start]);
            let answer = problem_answer(status, this.max_url_bytes);
            this.pending.extend_from_slice(&answer);
            // The whole of `buf` is taken: what replaced it goes out first.
            if let Poll::Ready(Err(e)) = this.drain(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.drain(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut self.io).poll_flush(cx),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.drain(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut self.io).poll_shutdown(cx),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codecs_empty_400_is_found_at_the_end_of_a_write() {
        let answer = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\ndate: Tue, 01 Dec 2026 07:00:00 GMT\r\n\r\n";
        assert_eq!(codec_error_answer(answer), Some((0, 400)));
        let mut after_another = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_vec();
        after_another.extend_from_slice(answer);
        assert_eq!(codec_error_answer(&after_another), Some((40, 400)));
    }

    #[test]
    fn a_problem_document_of_ours_is_left_alone() {
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 120\r\ncontent-type: application/problem+json\r\n\r\n";
        assert_eq!(codec_error_answer(ours), None);
    }

    #[test]
    fn the_replacement_is_a_problem_document() {
        let text = String::from_utf8(problem_answer(400, 8192)).expect("utf-8");
        assert!(text.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{text}");
        assert!(text.contains("content-type: application/problem+json"));
        assert!(text.contains("\"code\":\"malformed_request\""), "{text}");
    }
}

//! Framing of OCI-P documents on a byte stream.
//!
//! There is no length prefix: a document ends with its closing `</BroadsoftDocument>` tag (any
//! namespace prefix), usually followed by a newline. Documents may arrive split across reads or
//! several in one read; whitespace between them is skipped. A document larger than the limit is
//! an error before it is buffered in full, and a peer that closes mid-document is an error while
//! a clean close between documents is not.

use bytes::{Buf, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use crate::ocip::error::FrameError;
use crate::ocip::options::DEFAULT_MAX_DOCUMENT;

const END_TAG: &[u8] = b"BroadsoftDocument>";

/// Room kept free for the next read while a document is incomplete: most answers then arrive
/// in one read. Without it, the room left behind the documents already cut was often a few
/// hundred bytes short of the next answer, which then took two reads.
const READ_ROOM: usize = 16 * 1024;

/// Cuts a byte stream into whole documents, and writes documents followed by a newline.
#[derive(Debug, Clone)]
pub struct OciCodec {
    max_len: usize,
    /// Where to resume scanning for the end tag in a partial document.
    scanned: usize,
}

impl Default for OciCodec {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_DOCUMENT)
    }
}

impl OciCodec {
    /// A codec refusing documents over `max_len` bytes.
    pub fn new(max_len: usize) -> Self {
        Self {
            max_len,
            scanned: 0,
        }
    }
}

impl Decoder for OciCodec {
    type Item = BytesMut;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<BytesMut>, FrameError> {
        if self.scanned == 0 {
            let blank = src.iter().take_while(|b| b.is_ascii_whitespace()).count();
            src.advance(blank);
        }
        let from = self.scanned.saturating_sub(END_TAG.len() + 64);
        match find_document_end(src, from) {
            Some(end) if end > self.max_len => Err(FrameError::TooLarge {
                limit: self.max_len,
            }),
            Some(end) => {
                self.scanned = 0;
                Ok(Some(src.split_to(end)))
            }
            None if src.len() > self.max_len => Err(FrameError::TooLarge {
                limit: self.max_len,
            }),
            None => {
                self.scanned = src.len();
                src.reserve(READ_ROOM);
                Ok(None)
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<BytesMut>, FrameError> {
        if let Some(frame) = self.decode(src)? {
            return Ok(Some(frame));
        }
        if src.iter().all(u8::is_ascii_whitespace) {
            src.clear();
            return Ok(None);
        }
        Err(FrameError::Truncated {
            buffered: src.len(),
        })
    }
}

impl Encoder<&[u8]> for OciCodec {
    type Error = FrameError;

    fn encode(&mut self, document: &[u8], dst: &mut BytesMut) -> Result<(), FrameError> {
        dst.reserve(document.len() + 1);
        dst.extend_from_slice(document);
        dst.extend_from_slice(b"\n");
        Ok(())
    }
}

/// The position just after the first `</BroadsoftDocument>` (or `</prefix:BroadsoftDocument>`)
/// at or after `from`.
fn find_document_end(buf: &[u8], from: usize) -> Option<usize> {
    /// Built once: building a finder per search cost more than the search.
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(END_TAG));
    FINDER
        .find_iter(buf.get(from..)?)
        .map(|at| from + at)
        .find(|&tag| is_close_tag(&buf[..tag]))
        .map(|tag| tag + END_TAG.len())
}

/// Whether the bytes before the tag name end with `</` or `</prefix:`.
fn is_close_tag(before: &[u8]) -> bool {
    if before.ends_with(b"</") {
        return true;
    }
    let Some(stripped) = before.strip_suffix(b":") else {
        return false;
    };
    let prefix_len = stripped
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        .count();
    prefix_len > 0 && stripped[..stripped.len() - prefix_len].ends_with(b"</")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &[u8] =
        b"<?xml version=\"1.0\"?><BroadsoftDocument protocol=\"OCI\"><x/></BroadsoftDocument>";

    #[test]
    fn an_incomplete_document_leaves_room_for_a_whole_answer_in_the_next_read() {
        let mut codec = OciCodec::default();
        // A document cut, then the start of the next in a buffer with little room behind it.
        let mut buf = BytesMut::with_capacity(DOC.len() + 8);
        buf.extend_from_slice(DOC);
        buf.extend_from_slice(b"<?xml");
        let frame = codec.decode(&mut buf).unwrap();
        assert_eq!(frame.as_deref(), Some(DOC));
        assert_eq!(codec.decode(&mut buf).unwrap(), None);
        assert_eq!(&buf[..], b"<?xml");
        assert!(
            buf.capacity() - buf.len() >= READ_ROOM,
            "{}",
            buf.capacity()
        );
    }

    #[test]
    fn byte_by_byte_then_two_in_one_read() {
        let mut codec = OciCodec::default();
        let mut buf = BytesMut::new();
        for (i, b) in DOC.iter().enumerate() {
            buf.extend_from_slice(&[*b]);
            let frame = codec.decode(&mut buf).unwrap();
            assert_eq!(frame.is_some(), i == DOC.len() - 1);
            if let Some(frame) = frame {
                assert_eq!(&frame[..], DOC);
            }
        }
        buf.extend_from_slice(b"\n");
        buf.extend_from_slice(DOC);
        buf.extend_from_slice(b"\n");
        buf.extend_from_slice(DOC);
        assert_eq!(&codec.decode(&mut buf).unwrap().unwrap()[..], DOC);
        assert_eq!(&codec.decode(&mut buf).unwrap().unwrap()[..], DOC);
        assert!(codec.decode(&mut buf).unwrap().is_none());
        assert!(codec.decode_eof(&mut buf).unwrap().is_none());
    }

    #[test]
    fn prefixed_root_and_lookalikes() {
        let doc = b"<ns0:BroadsoftDocument xmlns:ns0=\"C\"><a>BroadsoftDocument&gt;</a></ns0:BroadsoftDocument>";
        let mut codec = OciCodec::default();
        let mut buf = BytesMut::from(&doc[..]);
        assert_eq!(&codec.decode(&mut buf).unwrap().unwrap()[..], &doc[..]);
    }

    #[test]
    fn oversized_and_truncated() {
        let mut codec = OciCodec::new(32);
        let mut buf = BytesMut::from(&[b'x'; 33][..]);
        assert!(matches!(
            codec.decode(&mut buf),
            Err(FrameError::TooLarge { limit: 32 })
        ));
        let mut codec = OciCodec::default();
        let mut buf = BytesMut::from(&DOC[..20]);
        assert!(codec.decode(&mut buf).unwrap().is_none());
        assert!(matches!(
            codec.decode_eof(&mut buf),
            Err(FrameError::Truncated { buffered: 20 })
        ));
    }
}

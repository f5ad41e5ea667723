//! The items of a JSON array read one at a time from a byte stream, so JSON bulk data of any
//! length is read in memory bounded by its largest item, like a sheet. Each item's bytes are
//! handed on whole; `serde_json` parses them.

use std::io::{BufRead, BufReader, Read};

use crate::bulk::input::InputError;

/// Largest single item accepted, in bytes (a hunt group object is a few KiB).
pub const MAX_ITEM_BYTES: usize = 1 << 20;

/// Reads the items of the top-level array of a JSON text.
pub struct JsonItems<R: Read> {
    input: BufReader<R>,
    done: bool,
}

impl<R: Read> JsonItems<R> {
    /// Checks the text opens an array; the items are read as they are asked for.
    pub fn open(input: R) -> Result<Self, InputError> {
        let mut input = BufReader::new(input);
        match next_non_space(&mut input) {
            Ok(Some(b'[')) => Ok(Self { input, done: false }),
            _ => Err(InputError::NotAnArray),
        }
    }

    /// The next item's bytes, `None` after the closing `]`.
    fn item(&mut self) -> Result<Option<Vec<u8>>, String> {
        let mut item = Vec::new();
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let byte = match read_byte(&mut self.input).map_err(|e| e.to_string())? {
                Some(b) => b,
                None => return Err("the JSON array is not closed".into()),
            };
            if in_string {
                match (escaped, byte) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
            } else {
                match byte {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b']' => {
                        self.done = true;
                        return Ok((!item.iter().all(u8::is_ascii_whitespace)).then_some(item));
                    }
                    b',' if depth == 0 => return Ok(Some(item)),
                    _ => {}
                }
            }
            item.push(byte);
            if item.len() > MAX_ITEM_BYTES {
                return Err(format!("an item is larger than {MAX_ITEM_BYTES} bytes"));
            }
        }
    }
}

impl<R: Read> Iterator for JsonItems<R> {
    /// An item's bytes, or why the array cannot be read further (the last item then).
    type Item = Result<Vec<u8>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.item() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => None,
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

fn read_byte<R: BufRead>(input: &mut R) -> std::io::Result<Option<u8>> {
    let byte = input.fill_buf()?.first().copied();
    if byte.is_some() {
        input.consume(1);
    }
    Ok(byte)
}

fn next_non_space<R: BufRead>(input: &mut R) -> std::io::Result<Option<u8>> {
    loop {
        match read_byte(input)? {
            Some(b) if b.is_ascii_whitespace() => continue,
            // A UTF-8 byte order mark is allowed before the text.
            Some(0xEF) => {
                read_byte(input)?;
                read_byte(input)?;
            }
            other => return Ok(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Vec<Result<String, String>> {
        JsonItems::open(text.as_bytes())
            .unwrap()
            .map(|i| i.map(|b| String::from_utf8(b).unwrap().trim().to_owned()))
            .collect()
    }

    #[test]
    fn items_are_split_at_top_level_commas_only() {
        assert_eq!(
            items(r#" [ {"a": [1, 2], "b": "x,]}\"y"}, 3, {"c": {}} ] "#),
            [
                Ok(r#"{"a": [1, 2], "b": "x,]}\"y"}"#.to_owned()),
                Ok("3".to_owned()),
                Ok(r#"{"c": {}}"#.to_owned())
            ]
        );
        assert!(items("[]").is_empty());
        assert_eq!(
            items("[{}"),
            [Err("the JSON array is not closed".to_owned())]
        );
        assert!(JsonItems::open(&b"{}"[..]).is_err());
    }
}

//! Where a value sits in a command's JSON (`serviceInstanceProfile.name`, `agentUserId[2]`),
//! and what rule it broke there.

use std::fmt;

/// A place in a command's JSON, built on the stack while walking and rendered only when a
/// violation is reported.
#[derive(Debug, Clone, Copy)]
pub enum JsonPath<'p> {
    /// The command object itself.
    Root,
    /// A key of an object.
    Key(&'p JsonPath<'p>, &'p str),
    /// An item of an array.
    Index(&'p JsonPath<'p>, usize),
}

impl JsonPath<'_> {
    /// `a.b[2].c`; the root is empty.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            JsonPath::Root => {}
            JsonPath::Key(parent, key) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            JsonPath::Index(parent, i) => {
                parent.write(out);
                out.push_str(&format!("[{i}]"));
            }
        }
    }
}

/// One broken rule of the schema: the JSON path and the rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// The value's JSON path (`serviceInstanceProfile.name`; empty for the command itself).
    pub path: String,
    /// The rule it broke (`length 31 is outside 1..30`).
    pub rule: String,
}

impl Violation {
    /// A violation of `rule` at `path`.
    pub fn new(path: &JsonPath<'_>, rule: impl Into<String>) -> Self {
        Self {
            path: path.render(),
            rule: rule.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.rule)
        } else {
            write!(f, "{}: {}", self.path, self.rule)
        }
    }
}

/// Every violation on its own line, for an error message.
pub fn list(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

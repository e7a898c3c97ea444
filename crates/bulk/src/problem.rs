//! What is wrong with an input file: every bad row, with its line number and field.

use std::fmt;

use serde::Serialize;

/// One thing wrong with the input, found before anything was sent.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// The line of the input the row starts on (1 is a CSV file's header); 0 for the file as a
    /// whole.
    pub line: u64,
    /// The row's key (its email), if it has a readable one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The field (column) at fault, in the API's casing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A problem on `line`.
    pub fn new(line: u64, message: impl Into<String>) -> Self {
        Self {
            line,
            key: None,
            field: None,
            message: message.into(),
        }
    }

    /// Names the field.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Names the row's key.
    pub fn key(mut self, key: Option<&str>) -> Self {
        self.key = key.map(str::to_owned);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => f.write_str("input")?,
            n => write!(f, "line {n}")?,
        }
        if let Some(k) = &self.key {
            write!(f, " ({k})")?;
        }
        f.write_str(": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// An input with at least one invalid row: nothing was written. Holds every problem found,
/// in line order.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invalid {
    /// Every problem, by line.
    pub problems: Vec<Problem>,
}

impl Invalid {
    /// The problems, sorted by line (stable: several problems of a line keep their order).
    pub fn new(mut problems: Vec<Problem>) -> Self {
        problems.sort_by_key(|p| p.line);
        Self { problems }
    }

    /// How many distinct rows (lines) are at fault.
    pub fn rows(&self) -> usize {
        let mut lines: Vec<u64> = self.problems.iter().map(|p| p.line).collect();
        lines.dedup();
        lines.len()
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = self.rows();
        write!(
            f,
            "invalid input, nothing was written: {} problem{} in {rows} row{}",
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" },
            if rows == 1 { "" } else { "s" },
        )?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_read_well() {
        let invalid = Invalid::new(vec![
            Problem::new(7, "must be a whole number")
                .field("totalExtensions")
                .key(Some("a@b.example")),
            Problem::new(3, "is required to create a user").field("firstName"),
            Problem::new(3, "second problem of the same row"),
        ]);
        assert_eq!(invalid.rows(), 2);
        assert_eq!(
            invalid.to_string(),
            "invalid input, nothing was written: 3 problems in 2 rows\n  \
             line 3: firstName: is required to create a user\n  \
             line 3: second problem of the same row\n  \
             line 7 (a@b.example): totalExtensions: must be a whole number"
        );
    }
}

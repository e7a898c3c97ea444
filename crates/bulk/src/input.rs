//! Reading rows from CSV or JSON Lines, and writing records in the same formats.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::Path;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::problem::{Invalid, Problem};
use crate::schema::{Access, Schema, coerce, key_of};

/// The format of an input or output file.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// CSV with a header row of the API's field names; list items separated by `;`.
    Csv,
    /// JSON Lines: one JSON object per line, with the API's field names.
    Jsonl,
}

impl Format {
    /// The format a file name's extension implies: `.csv`; `.jsonl`, `.ndjson` or `.json`.
    ///
    /// ```
    /// use std::path::Path;
    /// use yeastar_bulk::Format;
    /// assert_eq!(Format::from_path(Path::new("staff.CSV")), Some(Format::Csv));
    /// assert_eq!(Format::from_path(Path::new("staff.jsonl")), Some(Format::Jsonl));
    /// assert_eq!(Format::from_path(Path::new("-")), None);
    /// ```
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            _ => None,
        }
    }

    /// `csv` or `jsonl`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            other => Err(format!("unknown format {other:?}: expected csv or jsonl")),
        }
    }
}

/// One input row: where it is, its key and its fields as API values (fields left empty are
/// absent).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The line the row starts on (a CSV file's header is line 1).
    pub line: u64,
    /// The key (an email address) as written in the row.
    pub key: String,
    /// The fields the row sets, by API name; the key is one of them.
    pub fields: Map<String, Value>,
}

impl Row {
    /// A row built in code (for integrators syncing from their own source): `fields` are
    /// checked like a file's cells when the import is planned.
    pub fn new(line: u64, fields: Map<String, Value>) -> Self {
        Self {
            line,
            key: String::new(),
            fields,
        }
    }

    /// The key as matched: trimmed and lower-case.
    pub fn normalized_key(&self) -> String {
        key_of(&self.key)
    }
}

/// Reads and checks every row of `input` against `schema`: each value's type, enum values and
/// email addresses, the key's presence, and duplicate keys. All problems are collected;
/// any problem makes the whole input invalid.
///
/// ```
/// use yeastar_bulk::{Format, parse};
/// # #[cfg(feature = "ycm")] {
/// let schema = yeastar_bulk::ycm::SCHEMA;
/// let csv = "email,firstName,totalExtensions\nada@example.com,Ada,100\nbob@example.com,Bob,ten\n";
/// let err = parse(csv.as_bytes(), Format::Csv, &schema).unwrap_err();
/// assert_eq!(err.problems[0].line, 3);
/// assert_eq!(err.problems[0].field.as_deref(), Some("totalExtensions"));
/// # }
/// ```
pub fn parse(input: &[u8], format: Format, schema: &Schema) -> Result<Vec<Row>, Invalid> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let (raw, mut problems) = match format {
        Format::Csv => read_csv(input, schema),
        Format::Jsonl => read_jsonl(input, schema),
    };
    let rows = check(raw, schema, &mut problems);
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(Invalid::new(problems))
    }
}

/// Checks rows built in code exactly as [`parse`] checks a file's rows (values, keys,
/// duplicates), and fills in their keys.
pub fn check_rows(rows: Vec<Row>, schema: &Schema) -> Result<Vec<Row>, Invalid> {
    let mut problems = Vec::new();
    let raw = rows.into_iter().map(|r| (r.line, r.fields)).collect();
    let rows = check(raw, schema, &mut problems);
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(Invalid::new(problems))
    }
}

type RawRow = (u64, Map<String, Value>);

fn read_csv(input: &[u8], schema: &Schema) -> (Vec<RawRow>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(input);
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            problems.push(Problem::new(
                0,
                "the file is empty: a header row of field names is required",
            ));
            return (Vec::new(), problems);
        }
        Some(Err(e)) => {
            problems.push(Problem::new(
                line_of(&e).unwrap_or(1),
                format!("cannot read the header row: {e}"),
            ));
            return (Vec::new(), problems);
        }
        Some(Ok(h)) => h,
    };
    let header_line = header.position().map_or(1, |p| p.line());
    let mut columns: Vec<Option<&'static str>> = Vec::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        if name.is_empty() {
            problems.push(Problem::new(header_line, format!("column {} has no name", i + 1)));
            columns.push(None);
            continue;
        }
        match schema.field(name) {
            Some(f) if columns.contains(&Some(f.name)) => {
                problems.push(Problem::new(header_line, "the column appears twice").field(name));
                columns.push(None);
            }
            Some(f) => columns.push(Some(f.name)),
            None => {
                problems.push(Problem::new(header_line, schema.unknown_column(name)));
                columns.push(None);
            }
        }
    }
    let key = schema.key().name;
    if !columns.contains(&Some(key)) {
        problems.push(Problem::new(
            header_line,
            format!("no {key:?} column: every row needs its key"),
        ));
    }
    let mut rows = Vec::new();
    let mut last_start = None;
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::new(
                    line_of(&e).unwrap_or(0),
                    format!("cannot read the row: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        last_start = record.position().map(|p| (p.byte(), line));
        if record.len() != header.len() {
            problems.push(Problem::new(
                line,
                format!("{} cells where the header has {} columns", record.len(), header.len()),
            ));
            continue;
        }
        let fields = columns
            .iter()
            .zip(record.iter())
            .filter_map(|(c, v)| c.map(|c| (c.to_owned(), Value::String(v.to_owned()))))
            .collect();
        rows.push((line, fields));
    }
    // The csv reader closes a quoted value still open at the end of the input without an
    // error: one stray quote would turn every line after it into a single value.
    if let Some((start, line)) = last_start
        && ends_inside_quotes(
            input
                .get(usize::try_from(start).unwrap_or(usize::MAX)..)
                .unwrap_or_default(),
        )
    {
        problems.push(Problem::new(
            line,
            "a quoted value opened on this row is never closed: the rest of the file would be read as one value",
        ));
    }
    (rows, problems)
}

/// Whether CSV text ends inside a quoted value (a quote at the start of a value opens one, a
/// doubled quote inside it is a quote, a single quote closes it).
fn ends_inside_quotes(raw: &[u8]) -> bool {
    let (mut quoted, mut at_value_start) = (false, true);
    let mut bytes = raw.iter().peekable();
    while let Some(&b) = bytes.next() {
        if quoted {
            if b == b'"' && bytes.next_if_eq(&&b'"').is_none() {
                quoted = false;
            }
        } else if b == b'"' && at_value_start {
            quoted = true;
        }
        at_value_start = !quoted && matches!(b, b',' | b'\n' | b'\r');
    }
    quoted
}

fn line_of(e: &::csv::Error) -> Option<u64> {
    e.position().map(|p| p.line())
}

fn read_jsonl(input: &[u8], schema: &Schema) -> (Vec<RawRow>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for (i, line) in input.split(|b| *b == b'\n').enumerate() {
        let n = i as u64 + 1;
        let text = match std::str::from_utf8(line) {
            Ok(t) => t.trim(),
            Err(_) => {
                problems.push(Problem::new(n, "the line is not UTF-8 text"));
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        let fields = match serde_json::from_str::<Pairs>(text) {
            Ok(Pairs(pairs)) => pairs,
            Err(e) => {
                let message = match e.classify() {
                    serde_json::error::Category::Data => "each line must be one JSON object".to_owned(),
                    _ => format!("not JSON: {e}"),
                };
                problems.push(Problem::new(n, message));
                continue;
            }
        };
        let mut known = Map::new();
        for (name, value) in fields {
            match schema.field(&name) {
                // A repeated key, or a field named twice (by its name and its alias), is refused
                // as a repeated CSV column is, rather than one value silently winning.
                Some(f) if known.contains_key(f.name) => {
                    problems.push(Problem::new(n, "the field appears twice").field(name.as_str()));
                }
                Some(f) => {
                    known.insert(f.name.to_owned(), value);
                }
                None => problems.push(Problem::new(n, schema.unknown_column(&name))),
            }
        }
        rows.push((n, known));
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(Problem::new(0, "the input holds no rows"));
    }
    (rows, problems)
}

/// A JSON object's members in order, repeated keys included (`serde_json`'s map keeps only the
/// last). Any other JSON value is an error.
struct Pairs(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Pairs;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<String, Value>()? {
                    pairs.push(pair);
                }
                Ok(Pairs(pairs))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// Coerces every value, checks keys and duplicates; problems are appended.
fn check(raw: Vec<RawRow>, schema: &Schema, problems: &mut Vec<Problem>) -> Vec<Row> {
    let key_field = schema.key();
    let mut rows = Vec::with_capacity(raw.len());
    for (line, fields) in raw {
        let mut out = Map::new();
        let mut bad = false;
        let raw_key = fields
            .get(key_field.name)
            .and_then(Value::as_str)
            .map(str::trim)
            .map(str::to_owned);
        for (name, value) in &fields {
            let Some(field) = schema.field(name) else {
                // Rows from a file hold known fields only; rows built in code are refused the same way.
                bad = true;
                problems.push(Problem::new(line, schema.unknown_column(name)).key(raw_key.as_deref()));
                continue;
            };
            match coerce(field, value) {
                Ok(Some(v)) => {
                    out.insert(name.clone(), v);
                }
                Ok(None) => {}
                Err(e) => {
                    bad = true;
                    problems.push(Problem::new(line, e.0).field(name.as_str()).key(raw_key.as_deref()));
                }
            }
        }
        let key = out.get(key_field.name).and_then(Value::as_str).map(str::to_owned);
        match key {
            Some(key) => rows.push(Row { line, key, fields: out }),
            None if !bad => problems.push(
                Problem::new(line, "is required: it is the key that matches the row to a user").field(key_field.name),
            ),
            None => {}
        }
    }
    // Duplicate keys: every row of a repeated key is named, with the other lines.
    let mut by_key: HashMap<String, Vec<u64>> = HashMap::new();
    for r in &rows {
        by_key.entry(r.normalized_key()).or_default().push(r.line);
    }
    for r in &rows {
        let lines = &by_key[&r.normalized_key()];
        if lines.len() > 1 {
            let others: Vec<String> = lines.iter().filter(|l| **l != r.line).map(u64::to_string).collect();
            problems.push(
                Problem::new(
                    r.line,
                    format!(
                        "the key appears more than once (also on line {}): two rows cannot describe one user",
                        others.join(", ")
                    ),
                )
                .field(key_field.name)
                .key(Some(&r.key)),
            );
        }
    }
    debug_assert!(schema.fields.iter().filter(|f| f.access == Access::Key).count() == 1);
    rows
}

/// Writes `records` (API field names) in `format`: CSV with a header row of `columns`, or one
/// JSON object per line holding only the fields in `columns`.
pub fn write_records<W: io::Write>(
    mut out: W,
    format: Format,
    columns: &[String],
    records: &[Map<String, Value>],
) -> io::Result<()> {
    match format {
        Format::Csv => crate::csv::write(out, columns, records),
        Format::Jsonl => {
            for r in records {
                let picked: Map<String, Value> = columns
                    .iter()
                    .filter_map(|c| r.get(c).filter(|v| !v.is_null()).map(|v| (c.clone(), v.clone())))
                    .collect();
                serde_json::to_writer(&mut out, &picked)?;
                out.write_all(b"\n")?;
            }
            out.flush()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Field, Kind};
    use serde_json::json;
    use yeastar_transport::Product;

    const FIELDS: &[Field] = &[
        Field::new("email", Kind::Email, Access::Key),
        Field::new("firstName", Kind::Text, Access::Updatable).required(),
        Field::new("groupIds", Kind::IntegerList, Access::Updatable),
        Field::new("totalExtensions", Kind::U32, Access::CreateOnly),
    ];
    const SCHEMA: Schema = Schema::new(Product::Workplace, FIELDS);

    fn lines(e: &Invalid) -> Vec<(u64, Option<&str>)> {
        e.problems.iter().map(|p| (p.line, p.field.as_deref())).collect()
    }

    #[test]
    fn csv_rows_with_quoted_newlines_keep_their_line_numbers() {
        let csv = "\u{feff}email,firstName,groupIds\n\
                   ada@example.com,\"Ada\nLovelace\",1;2\n\
                   bob@example.com,,\n";
        let rows = parse(csv.as_bytes(), Format::Csv, &SCHEMA).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].fields["firstName"], json!("Ada\nLovelace"));
        assert_eq!(rows[0].fields["groupIds"], json!([1, 2]));
        assert_eq!(rows[1].line, 4);
        assert_eq!(
            rows[1].fields,
            json!({"email": "bob@example.com"}).as_object().unwrap().clone()
        );
    }

    #[test]
    fn an_unclosed_quote_is_refused_not_read_to_the_end_of_the_file() {
        // The csv reader ends an open quoted value at the end of the input without an error: the
        // row keeps its cell count and every line after it would become one firstName.
        let mut csv = String::from("email,groupIds,firstName\nada@example.com,1,\"Ada\n");
        for i in 0..300 {
            csv.push_str(&format!("u{i}@example.com,1,U{i}\n"));
        }
        let err = parse(csv.as_bytes(), Format::Csv, &SCHEMA).unwrap_err();
        assert_eq!(lines(&err), [(2, None)]);
        assert!(err.to_string().contains("never closed"), "{err}");
        // Quotes that close, doubled quotes inside, and a quote inside an unquoted value are fine,
        // on the last row too.
        let csv =
            "email,firstName,groupIds\na@example.com,\"A \"\"x\"\"\",1\nb@example.com,B\"o,1\nc@example.com,\"C\nD\",2";
        let rows = parse(csv.as_bytes(), Format::Csv, &SCHEMA).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].fields["firstName"], json!("A \"x\""));
        assert_eq!(rows[1].fields["firstName"], json!("B\"o"));
        assert_eq!(rows[2].fields["firstName"], json!("C\nD"));
    }

    #[test]
    fn every_bad_row_is_named_with_its_line_and_field() {
        let csv = "email,firstName,totalExtensions\n\
                   ada@example.com,Ada,100\n\
                   not-an-email,Bob,5\n\
                   ,Carl,1\n\
                   dan@example.com,Dan,ten\n\
                   ADA@example.com,Ada again,1\n\
                   eve@example.com,Eve\n";
        let err = parse(csv.as_bytes(), Format::Csv, &SCHEMA).unwrap_err();
        assert_eq!(
            lines(&err),
            [
                (2, Some("email")),
                (3, Some("email")),
                (4, Some("email")),
                (5, Some("totalExtensions")),
                (6, Some("email")),
                (7, None),
            ]
        );
        assert!(err.problems[0].message.contains("also on line 6"), "{err}");
        assert!(
            err.problems[5].message.contains("2 cells where the header has 3"),
            "{err}"
        );
    }

    #[test]
    fn unknown_and_missing_columns_are_refused() {
        let err = parse(b"Email,firstname,shoeSize\na@b.example,A,42\n", Format::Csv, &SCHEMA).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("did you mean \"email\""), "{text}");
        assert!(text.contains("did you mean \"firstName\""), "{text}");
        assert!(text.contains("unknown column \"shoeSize\""), "{text}");
        assert!(text.contains("no \"email\" column"), "{text}");
        assert_eq!(parse(b"", Format::Csv, &SCHEMA).unwrap_err().problems[0].line, 0);
    }

    #[test]
    fn a_field_may_be_named_by_its_alias() {
        const ALIASED: &[Field] = &[
            Field::new("email", Kind::Email, Access::Key).alias("yeastarId"),
            Field::new("company", Kind::Text, Access::Updatable),
        ];
        let schema = Schema::new(Product::PartnerPortal, ALIASED);
        let rows = parse(b"yeastarId,company\nada@example.com,Acme\n", Format::Csv, &schema).unwrap();
        assert_eq!(rows[0].key, "ada@example.com");
        assert_eq!(rows[0].fields["email"], json!("ada@example.com"));
        let rows = parse(b"{\"yeastarId\":\"ada@example.com\"}\n", Format::Jsonl, &schema).unwrap();
        assert_eq!(rows[0].fields["email"], json!("ada@example.com"));
        let err = parse(b"email,yeastarId\na@b.example,a@b.example\n", Format::Csv, &schema).unwrap_err();
        assert!(err.to_string().contains("appears twice"), "{err}");
        // The same in JSON Lines: a field named twice, or a key repeated, is refused too.
        for line in [
            &b"{\"email\":\"a@x.example\",\"yeastarId\":\"b@x.example\"}\n"[..],
            b"{\"email\":\"a@x.example\",\"company\":\"A\",\"company\":\"B\"}\n",
        ] {
            let err = parse(line, Format::Jsonl, &schema).unwrap_err();
            assert_eq!(lines(&err).len(), 1, "{err}");
            assert!(err.to_string().contains("appears twice"), "{err}");
        }
    }

    #[test]
    fn rows_built_in_code_with_unknown_fields_are_refused() {
        let row = Row {
            line: 1,
            key: String::new(),
            fields: json!({"email": "a@b.example", "firstName": "A", "phoneNumber": "1"})
                .as_object()
                .unwrap()
                .clone(),
        };
        let err = check_rows(vec![row], &SCHEMA).unwrap_err();
        assert!(err.to_string().contains("phoneNumber"), "{err}");
    }

    #[test]
    fn json_lines() {
        let input = b"{\"email\":\"ada@example.com\",\"groupIds\":[1,2],\"totalExtensions\":\"7\"}\n\n\
                      [1]\n{\"email\":\"b@example.com\",\"x\":1}\nnot json\n";
        let err = parse(input, Format::Jsonl, &SCHEMA).unwrap_err();
        assert_eq!(lines(&err), [(3, None), (4, None), (5, None)]);
        assert!(err.problems[0].message.contains("one JSON object"), "{err}");
        assert!(err.problems[2].message.starts_with("not JSON"), "{err}");
        let rows = parse(
            b"{\"email\":\"ada@example.com\",\"groupIds\":[1,2],\"totalExtensions\":\"7\"}\n",
            Format::Jsonl,
            &SCHEMA,
        )
        .unwrap();
        assert_eq!(rows[0].fields["totalExtensions"], json!(7));
        assert_eq!(rows[0].key, "ada@example.com");
    }

    #[test]
    fn records_are_written_in_either_format() {
        let records = vec![
            json!({"email": "a@b.example", "groupIds": [1, 2], "x": null})
                .as_object()
                .unwrap()
                .clone(),
        ];
        let cols = vec!["email".to_owned(), "firstName".to_owned(), "groupIds".to_owned()];
        let mut csv = Vec::new();
        write_records(&mut csv, Format::Csv, &cols, &records).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "email,firstName,groupIds\na@b.example,,1;2\n"
        );
        let mut jsonl = Vec::new();
        write_records(&mut jsonl, Format::Jsonl, &cols, &records).unwrap();
        assert_eq!(
            String::from_utf8(jsonl).unwrap(),
            "{\"email\":\"a@b.example\",\"groupIds\":[1,2]}\n"
        );
    }
}

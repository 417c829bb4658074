//! The main rules, each against what Python's json gives for the same text
//! (the differential tests in tests/ compare whole documents).

use super::*;
use std::collections::HashSet;

/// A value as the tests build it.
#[derive(Debug, Clone, PartialEq)]
enum V {
    Null,
    Bool(bool),
    Int(i64),
    Big(String),
    Float(f64),
    Str(Vec<u8>, bool),
    List(Vec<V>),
    Dict(Vec<(V, V)>),
}

struct Build;

impl Builder for Build {
    type Value = V;
    type Error = String;
    fn null(&mut self) -> Result<V, String> {
        Ok(V::Null)
    }
    fn bool(&mut self, v: bool) -> Result<V, String> {
        Ok(V::Bool(v))
    }
    fn int(&mut self, v: i64) -> Result<V, String> {
        Ok(V::Int(v))
    }
    fn big_int(&mut self, decimal: &str) -> Result<V, String> {
        Ok(V::Big(decimal.to_owned()))
    }
    fn float(&mut self, v: f64) -> Result<V, String> {
        Ok(V::Float(v))
    }
    fn str(&mut self, wtf8: &[u8], utf8: bool) -> Result<V, String> {
        Ok(V::Str(wtf8.to_vec(), utf8))
    }
    fn key(&mut self, wtf8: &[u8], utf8: bool) -> Result<V, String> {
        if wtf8 == b"refuse" {
            return Err("refused".to_owned());
        }
        Ok(V::Str(wtf8.to_vec(), utf8))
    }
    fn list(&mut self, items: Items<'_, V>) -> Result<V, String> {
        Ok(V::List(items.collect()))
    }
    fn dict(&mut self, pairs: Pairs<'_, V>) -> Result<V, String> {
        Ok(V::Dict(pairs.collect()))
    }
}

const OPTS: LoadOptions = LoadOptions::python(11, 1000);

fn load(text: &str) -> Result<V, LoadError<String>> {
    loads_str(text.as_bytes(), true, OPTS, &mut Build)
}

fn s(text: &str) -> V {
    V::Str(text.as_bytes().to_vec(), true)
}

/// The message and position json gives.
fn syntax(text: &str) -> (&'static str, usize) {
    match load(text) {
        Err(LoadError::Syntax(err)) => (err.msg, err.pos),
        other => panic!("{text:?} gave {other:?}"),
    }
}

#[test]
fn values() {
    assert_eq!(load(" null ").unwrap(), V::Null);
    assert_eq!(load("true").unwrap(), V::Bool(true));
    assert_eq!(load("-0").unwrap(), V::Int(0));
    assert_eq!(
        load("[9223372036854775807, -9223372036854775808]").unwrap(),
        V::List(vec![V::Int(i64::MAX), V::Int(i64::MIN)])
    );
    assert_eq!(
        load("[9223372036854775808, -9223372036854775809, 100000000000000000000]").unwrap(),
        V::List(vec![
            V::Big("9223372036854775808".into()),
            V::Big("-9223372036854775809".into()),
            V::Big("100000000000000000000".into()),
        ])
    );
    assert_eq!(load("1.5e-7").unwrap(), V::Float(1.5e-7));
    assert_eq!(load("1e400").unwrap(), V::Float(f64::INFINITY));
    assert_eq!(load("-0.0").unwrap(), V::Float(-0.0));
    assert_eq!(
        load("[Infinity,-Infinity]").unwrap(),
        V::List(vec![V::Float(f64::INFINITY), V::Float(f64::NEG_INFINITY)])
    );
    assert!(matches!(load("NaN").unwrap(), V::Float(v) if v.is_nan()));
    assert_eq!(
        load(r#"{"a": [1, {"b": null}], "a": 2}"#).unwrap(),
        V::Dict(vec![
            (
                s("a"),
                V::List(vec![V::Int(1), V::Dict(vec![(s("b"), V::Null)])])
            ),
            (s("a"), V::Int(2)),
        ])
    );
    assert_eq!(load("[]").unwrap(), V::List(vec![]));
    assert_eq!(load("{ }").unwrap(), V::Dict(vec![]));
}

#[test]
fn strings_and_escapes() {
    assert_eq!(
        load(r#""a\"\\\/\b\f\n\r\t""#).unwrap(),
        s("a\"\\/\u{8}\u{c}\n\r\t")
    );
    assert_eq!(load(r#""\u00e9\u20AC""#).unwrap(), s("é€"));
    assert_eq!(load(r#""\ud83d\ude00""#).unwrap(), s("😀"));
    assert_eq!(load("\"Zoë 世界\"").unwrap(), s("Zoë 世界"));
    // A lone surrogate is kept, as WTF-8, and flagged as not UTF-8.
    assert_eq!(
        load(r#""\ud800x""#).unwrap(),
        V::Str(b"\xed\xa0\x80x".to_vec(), false)
    );
    // A high surrogate followed by an escape that is not a low one.
    assert_eq!(
        load(r#""\ud800\u0041""#).unwrap(),
        V::Str(b"\xed\xa0\x80A".to_vec(), false)
    );
    // A WTF-8 input's own surrogate.
    assert_eq!(
        loads_str(b"\"\xed\xb0\x80\"", false, OPTS, &mut Build).unwrap(),
        V::Str(b"\xed\xb0\x80".to_vec(), false)
    );
}

#[test]
fn errors_as_json() {
    // Each (text, message, position) as CPython 3.11's json.loads gives.
    for (text, msg, pos) in [
        ("", "Expecting value", 0),
        ("  ", "Expecting value", 2),
        ("[", "Expecting value", 1),
        ("[1,]", "Expecting value", 3),
        (
            "{\"a\":1,}",
            "Expecting property name enclosed in double quotes",
            7,
        ),
        ("[1,2", "Expecting ',' delimiter", 4),
        ("[1 2]", "Expecting ',' delimiter", 3),
        ("{\"a\" 1}", "Expecting ':' delimiter", 5),
        (
            "{1:2}",
            "Expecting property name enclosed in double quotes",
            1,
        ),
        ("\"a\\q\"", "Invalid \\escape", 2),
        ("\"\\u12\"", "Invalid \\uXXXX escape", 2),
        ("\"\\ud800\\u12x4\"", "Invalid \\uXXXX escape", 8),
        ("\"ab\u{1}\"", "Invalid control character at", 3),
        ("\"abc", "Unterminated string starting at", 0),
        ("[\"é\\", "Unterminated string starting at", 1),
        ("1 2", "Extra data", 2),
        ("1.", "Extra data", 1),
        ("1e+", "Extra data", 1),
        ("01", "Extra data", 1),
        ("-", "Expecting value", 0),
        ("[-]", "Expecting value", 1),
        ("nan", "Expecting value", 0),
        ("-NaN", "Expecting value", 0),
        // Positions count code points, not bytes.
        ("[\"é€😀\" x", "Expecting ',' delimiter", 7),
        (
            "\u{feff}1",
            "Unexpected UTF-8 BOM (decode using utf-8-sig)",
            0,
        ),
    ] {
        assert_eq!(syntax(text), (msg, pos), "{text:?}");
    }
    let newer = LoadOptions::python(13, 1000);
    for (text, msg, pos) in [
        ("[1,]", "Illegal trailing comma before end of array", 2),
        (
            "{\"a\":1 , }",
            "Illegal trailing comma before end of object",
            7,
        ),
    ] {
        let err = loads_str(text.as_bytes(), true, newer, &mut Build).unwrap_err();
        assert_eq!(err, LoadError::Syntax(SyntaxError { msg, pos }), "{text:?}");
    }
}

/// Where jiter reads the text and the parser's own rules take over: lone
/// surrogates (as escapes, or already in WTF-8 input), numbers jiter
/// refuses that json reads, and json's messages and positions from jiter's
/// errors. Each (text, message, position) as CPython 3.11's json.loads
/// gives.
#[test]
fn jiter_seams_as_json() {
    let lone = |b: &[u8]| V::Str(b.to_vec(), false);
    // A lone surrogate in a key and in a value; jiter resumes after each.
    assert_eq!(
        load(r#"[{"\ud800" : "\udfffa", "b": [2, "\ud83d\ude00"]}, 3]"#).unwrap(),
        V::List(vec![
            V::Dict(vec![
                (lone(b"\xed\xa0\x80"), lone(b"\xed\xbf\xbfa")),
                (s("b"), V::List(vec![V::Int(2), s("😀")])),
            ]),
            V::Int(3),
        ])
    );
    assert_eq!(
        load(r#"{"a": 1, "\udc00": {"\ud800": null}}"#).unwrap(),
        V::Dict(vec![
            (s("a"), V::Int(1)),
            (
                lone(b"\xed\xb0\x80"),
                V::Dict(vec![(lone(b"\xed\xa0\x80"), V::Null)])
            ),
        ])
    );
    // Surrogates already in the text (a str holding them, as WTF-8).
    assert_eq!(
        loads_str(
            b"{\"\xed\xa0\x80k\": [\"\xed\xb0\x80\", \"\\n\xed\xb0\x80\"]}",
            false,
            OPTS,
            &mut Build
        )
        .unwrap(),
        V::Dict(vec![(
            lone(b"\xed\xa0\x80k"),
            V::List(vec![lone(b"\xed\xb0\x80"), lone(b"\n\xed\xb0\x80")])
        )])
    );
    // Numbers: the type from the text, json's grammar where jiter refuses.
    let digits = "7".repeat(5000);
    assert_eq!(load(&digits).unwrap(), V::Big(digits.clone()));
    assert_eq!(
        load(&format!("[-{digits}]")).unwrap(),
        V::List(vec![V::Big(format!("-{digits}"))])
    );
    assert_eq!(
        load(&format!("{digits}.5")).unwrap(),
        V::Float(f64::INFINITY)
    );
    assert_eq!(
        load("[-0, 1E2, -1e400, 2.5e-324, 123456789012345678901.5]").unwrap(),
        V::List(vec![
            V::Int(0),
            V::Float(100.0),
            V::Float(f64::NEG_INFINITY),
            V::Float(5e-324),
            V::Float(1.234_567_890_123_456_8e20),
        ])
    );
    for (text, msg, pos) in [
        ("{\"\\ud800\" 1}", "Expecting ':' delimiter", 10),
        ("{\"\\ud800\"", "Expecting ':' delimiter", 9),
        ("{\"\\ud800\":", "Expecting value", 10),
        ("[\"\\ud800\", 1 2]", "Expecting ',' delimiter", 13),
        ("[\"\\udc00\" , 01 x]", "Expecting ',' delimiter", 13),
        ("{\"a\": \"\\ud800\" \"b\"}", "Expecting ',' delimiter", 15),
        (
            "{\"a\": 1, \"\\udfff\" : 2, 3}",
            "Expecting property name enclosed in double quotes",
            23,
        ),
        ("[01]", "Expecting ',' delimiter", 2),
        ("-01", "Extra data", 2),
        ("[1.]", "Expecting ',' delimiter", 2),
        ("1.5e", "Extra data", 3),
        ("[1e5x]", "Expecting ',' delimiter", 4),
        ("[-1.5E+]", "Expecting ',' delimiter", 5),
        ("-NaN", "Expecting value", 0),
        ("-Inf", "Expecting value", 0),
        ("Infinit", "Expecting value", 0),
        ("nul", "Expecting value", 0),
        ("[tru]", "Expecting value", 1),
        ("\"\\u1234", "Invalid \\uXXXX escape", 2),
        ("\"\\ud800", "Invalid \\uXXXX escape", 2),
        ("\"\\ud800\\", "Unterminated string starting at", 0),
        ("\"\\ud800\\u", "Invalid \\uXXXX escape", 8),
        ("\"\\ud800\\udc0", "Invalid \\uXXXX escape", 8),
        ("{\"a\\q\":1}", "Invalid \\escape", 3),
        ("{\"a", "Unterminated string starting at", 1),
        ("{\"a\u{1}b\": 1}", "Invalid control character at", 3),
        ("[\"a\\x\"]", "Invalid \\escape", 3),
        ("{", "Expecting property name enclosed in double quotes", 1),
        ("{\"a\"", "Expecting ':' delimiter", 4),
        ("{\"a\":", "Expecting value", 5),
        ("{\"a\":1", "Expecting ',' delimiter", 6),
        (
            "{\"a\":1,",
            "Expecting property name enclosed in double quotes",
            7,
        ),
        ("{\"a\":1 \"b\"}", "Expecting ',' delimiter", 7),
        (
            " {\"a\":1 , } ",
            "Expecting property name enclosed in double quotes",
            10,
        ),
        ("[1 , ]", "Expecting value", 5),
        ("[,1]", "Expecting value", 1),
        ("[1,}", "Expecting value", 3),
        ("{\"a\":1]", "Expecting ',' delimiter", 6),
        ("[1}", "Expecting ',' delimiter", 2),
        ("]", "Expecting value", 0),
        ("\"\u{e9}\\ud800\" x", "Extra data", 10),
    ] {
        assert_eq!(syntax(text), (msg, pos), "{text:?}");
    }
    // json of 3.13 names the trailing comma, after a string jiter refused
    // as after any other value.
    let newer = LoadOptions::python(13, 1000);
    for (text, msg, pos) in [
        (
            r#"["\ud800" ,]"#,
            "Illegal trailing comma before end of array",
            10,
        ),
        (
            r#"{"\ud800": 1,}"#,
            "Illegal trailing comma before end of object",
            12,
        ),
        (
            r#"{"a": "\udc00",}"#,
            "Illegal trailing comma before end of object",
            14,
        ),
    ] {
        let err = loads_str(text.as_bytes(), true, newer, &mut Build).unwrap_err();
        assert_eq!(err, LoadError::Syntax(SyntaxError { msg, pos }), "{text:?}");
    }
}

/// Every number jiter accepts is the one json reads at the same place
/// (json's grammar, `parse::number_end`, takes over only where jiter
/// refuses): all texts of up to six characters from the number alphabet.
#[test]
fn jiter_numbers_are_jsons() {
    let alphabet = b"01-.eE+9I";
    let mut accepted = 0;
    for len in 1..=6u32 {
        for mut n in 0..alphabet.len().pow(len) {
            let mut text = Vec::new();
            for _ in 0..len {
                text.push(alphabet[n % alphabet.len()]);
                n /= alphabet.len();
            }
            let mut jiter = jiter::Jiter::new(&text).with_allow_inf_nan();
            let Ok(peek) = jiter.peek() else { continue };
            if !peek.is_num() {
                continue;
            }
            if let Ok(number) = jiter.known_number_bytes(peek) {
                accepted += 1;
                assert_eq!(
                    Some(number.len()),
                    parse::number_end(&text, 0),
                    "{:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }
    // Not vacuous: jiter accepted many of them.
    assert!(accepted > 1000, "{accepted}");
}

/// Counts the containers instead of nesting values (a nested `V` would
/// itself recurse when dropped).
struct Count;

impl Builder for Count {
    type Value = usize;
    type Error = String;
    fn null(&mut self) -> Result<usize, String> {
        Ok(0)
    }
    fn bool(&mut self, _: bool) -> Result<usize, String> {
        Ok(0)
    }
    fn int(&mut self, _: i64) -> Result<usize, String> {
        Ok(0)
    }
    fn big_int(&mut self, _: &str) -> Result<usize, String> {
        Ok(0)
    }
    fn float(&mut self, _: f64) -> Result<usize, String> {
        Ok(0)
    }
    fn str(&mut self, _: &[u8], _: bool) -> Result<usize, String> {
        Ok(0)
    }
    fn key(&mut self, _: &[u8], _: bool) -> Result<usize, String> {
        Ok(0)
    }
    fn list(&mut self, items: Items<'_, usize>) -> Result<usize, String> {
        Ok(1 + items.sum::<usize>())
    }
    fn dict(&mut self, pairs: Pairs<'_, usize>) -> Result<usize, String> {
        Ok(1 + pairs.map(|(k, v)| k + v).sum::<usize>())
    }
}

#[test]
fn depth_is_limited_without_recursion() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let opts = LoadOptions::python(11, 100_000);
    assert_eq!(
        loads_str(deep.as_bytes(), true, opts, &mut Count),
        Ok(100_000)
    );
    let err = loads_str(
        deep.as_bytes(),
        true,
        LoadOptions::python(11, 99_999),
        &mut Count,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
    );
    let err = load(&"{\"a\":".repeat(1001)).unwrap_err();
    assert!(matches!(err, LoadError::TooDeep(_)));
    // Within the limit, an unfinished document is a syntax error.
    assert_eq!(syntax(&"[".repeat(1000)), ("Expecting value", 1000));
    // A million, without a stack overflow either way.
    let million = "[".repeat(1_000_000);
    let err = load(&million).unwrap_err();
    assert!(matches!(err, LoadError::TooDeep(_)));
    let err = loads_str(
        million.as_bytes(),
        true,
        LoadOptions::python(11, 1_000_000),
        &mut Count,
    )
    .unwrap_err();
    assert_eq!(
        err,
        LoadError::Syntax(SyntaxError {
            msg: "Expecting value",
            pos: 1_000_000
        })
    );
    let closed = million + &"]".repeat(1_000_000);
    assert_eq!(
        loads_str(
            closed.as_bytes(),
            true,
            LoadOptions::python(11, 1_000_000),
            &mut Count
        ),
        Ok(1_000_000)
    );
}

#[test]
fn builder_errors_pass_through() {
    assert_eq!(
        load(r#"{"refuse": 1}"#).unwrap_err(),
        LoadError::Builder("refused".to_owned())
    );
}

#[test]
fn bytes_are_decoded_as_json_decodes() {
    let text = "{\"k\": [\"é😀\", 1]}";
    let expected = load(text).unwrap();
    let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let utf32le: Vec<u8> = text
        .chars()
        .flat_map(|c| u32::from(c).to_le_bytes())
        .collect();
    let utf32be: Vec<u8> = text
        .chars()
        .flat_map(|c| u32::from(c).to_be_bytes())
        .collect();
    let with = |bom: &[u8], body: &[u8]| [bom, body].concat();
    for (data, encoding) in [
        (text.as_bytes().to_vec(), Encoding::Utf8),
        (with(b"\xef\xbb\xbf", text.as_bytes()), Encoding::Utf8Sig),
        (utf16le.clone(), Encoding::Utf16Le),
        (utf16be.clone(), Encoding::Utf16Be),
        (with(b"\xff\xfe", &utf16le), Encoding::Utf16),
        (with(b"\xfe\xff", &utf16be), Encoding::Utf16),
        (utf32le.clone(), Encoding::Utf32Le),
        (utf32be.clone(), Encoding::Utf32Be),
        (with(b"\xff\xfe\0\0", &utf32le), Encoding::Utf32),
        (with(b"\0\0\xfe\xff", &utf32be), Encoding::Utf32),
    ] {
        assert_eq!(detect_encoding(&data), encoding);
        assert_eq!(
            loads_bytes(&data, OPTS, &mut Build).unwrap(),
            expected,
            "{encoding:?}"
        );
    }
    // Surrogates pass, as with "surrogatepass".
    assert_eq!(
        loads_bytes(b"\"\xed\xa0\x80\"", OPTS, &mut Build).unwrap(),
        V::Str(b"\xed\xa0\x80".to_vec(), false)
    );
    assert_eq!(
        loads_bytes(b"\"\0\0\xd8\"\0", OPTS, &mut Build).unwrap(),
        V::Str(b"\xed\xa0\x80".to_vec(), false)
    );
    // Python's UnicodeDecodeError, field for field.
    for (data, message) in [
        (
            &b"\"\xff\""[..],
            "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte",
        ),
        (
            b"\"\xe2\x28\"",
            "'utf-8' codec can't decode byte 0xe2 in position 1: invalid continuation byte",
        ),
        (
            b"[\xed\xa0",
            "'utf-8' codec can't decode byte 0xed in position 1: invalid continuation byte",
        ),
        (
            b"1\xe2\x82",
            "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data",
        ),
        (
            b"\xff\xfe1\0\0",
            "'utf-16-le' codec can't decode byte 0x00 in position 4: truncated data",
        ),
    ] {
        match loads_bytes(data, OPTS, &mut Build) {
            Err(LoadError::Decode(err)) => assert_eq!(err.to_string(), message),
            other => panic!("{data:?} gave {other:?}"),
        }
    }
    // json checks for a BOM in a str only; decoded bytes starting with
    // U+FEFF are then not JSON.
    assert_eq!(
        loads_bytes("\u{feff}1".as_bytes(), OPTS, &mut Build).unwrap(),
        V::Int(1)
    );
}

#[test]
fn floats_as_repr() {
    for (v, repr) in [
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1.0, "1.0"),
        (123.0, "123.0"),
        (0.1, "0.1"),
        (1.5, "1.5"),
        (0.0001, "0.0001"),
        (1e-5, "1e-05"),
        (1.5e-7, "1.5e-07"),
        (1e16, "1e+16"),
        (1.2345e16, "1.2345e+16"),
        (1e15, "1000000000000000.0"),
        (1234567890123456.0, "1234567890123456.0"),
        (9007199254740993.0, "9007199254740992.0"),
        (1e100, "1e+100"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (-2.5e-300, "-2.5e-300"),
        (0.30000000000000004, "0.30000000000000004"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
    ] {
        assert_eq!(format_float(v), repr);
    }
}

#[test]
fn writer_writes_as_json_dumps() {
    let mut w = Writer::new();
    w.begin_dict();
    w.key_str("é\"k".as_bytes());
    w.begin_list();
    w.int(1);
    w.float(2.5);
    w.null();
    w.bool(true);
    w.begin_list();
    w.end_list();
    w.begin_dict();
    w.end_dict();
    w.int_decimal("123456789012345678901234567890");
    w.end_list();
    w.key_int(-3);
    w.str(b"a\x7f\x01\n\t\xed\xa0\x80\xf0\x9f\x98\x80/");
    w.key_float(f64::NAN);
    w.bool(false);
    w.key_bool(true);
    w.null();
    w.key_null();
    w.float(1e16);
    w.end_dict();
    assert_eq!(
        w.finish(),
        r#"{"\u00e9\"k": [1, 2.5, null, true, [], {}, 123456789012345678901234567890], "-3": "a\u007f\u0001\n\t\ud800\ud83d\ude00/", "NaN": false, "true": null, "null": 1e+16}"#
    );
    let mut w = Writer::new();
    w.str(b"");
    assert_eq!(w.finish(), "\"\"");
}

#[test]
fn depth_finds_cycles_and_limits() {
    let mut depth = Depth::new(40);
    for id in 0..40 {
        depth.enter(id).unwrap();
    }
    assert_eq!(depth.enter(99), Err(DumpError::TooDeep(TooDeep::ENCODE)));
    depth.leave();
    assert_eq!(depth.enter(3), Err(DumpError::Circular));
    assert_eq!(depth.enter(30), Err(DumpError::Circular));
    depth.enter(39).unwrap();
    assert_eq!(depth.len(), 40);
    assert_eq!(
        DumpError::Circular.to_string(),
        "Circular reference detected"
    );
    assert_eq!(
        DumpError::BadKey {
            type_name: "tuple".into()
        }
        .to_string(),
        "keys must be str, int, float, bool or None, not tuple"
    );
    assert_eq!(
        DumpError::NotSerializable {
            type_name: "set".into()
        }
        .to_string(),
        "Object of type set is not JSON serializable"
    );
    assert_eq!(
        DumpError::TooDeep(TooDeep::ENCODE).to_string(),
        "maximum recursion depth exceeded while encoding a JSON object"
    );
}

#[test]
fn key_cache_gives_the_key_made_for_the_same_bytes() {
    let mut cache = KeyCache::<usize>::default();
    let mut made = 0;
    let mut get = |cache: &mut KeyCache<usize>, key: &[u8]| {
        cache
            .get_or_make(key, || -> Result<usize, ()> {
                made += 1;
                Ok(made)
            })
            .unwrap()
    };
    let long = [b'k'; 65];
    let keys: [&[u8]; 6] = [b"", b"a", b"id", b"id\0", b"a\0\0\0\0\0\0\0b", &long[..64]];
    let first: Vec<usize> = keys.iter().map(|key| get(&mut cache, key)).collect();
    // Distinct keys, distinct values (none confused with another, zero
    // padding included); the same key again, its first value.
    for (i, key) in keys.iter().enumerate() {
        assert_eq!(get(&mut cache, key), first[i], "{key:?}");
    }
    let distinct: HashSet<usize> = first.iter().copied().collect();
    assert_eq!(distinct.len(), keys.len());
    // Past MAX_LEN, never kept.
    let a = get(&mut cache, &long);
    assert_ne!(get(&mut cache, &long), a);
    // Many keys: each lookup still gives a value made for its own bytes.
    let mut by_key = std::collections::HashMap::new();
    for round in 0..3 {
        for n in 0..2000 {
            let key = format!("key{n}");
            let v = get(&mut cache, key.as_bytes());
            if round == 0 {
                by_key.insert(key, v);
            } else {
                // A kept key gives its first value, one not kept a new one.
                assert!(v == by_key[&key] || v > first.len() + 2000);
            }
        }
    }
}

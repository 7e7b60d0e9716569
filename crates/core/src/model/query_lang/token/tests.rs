//! Tokenizer tests: every byte covered, tokens classified by position.
#![allow(clippy::unwrap_used)]

use super::*;

fn kinds(query: &str, language: Language) -> Vec<(String, TokenKind)> {
    tokenize(query, language)
        .into_iter()
        .filter(|t| !t.kind.is_trivia())
        .map(|t| (t.text(query).to_owned(), t.kind))
        .collect()
}

#[test]
fn tokens_cover_every_byte_of_any_input() {
    for query in [
        "sum by (Hostname) (rate(DCGM_FI_DEV_GPU_UTIL{gpu=~\"0|1\"}[5m])) > 0.5",
        "{app=\"a\", x=~\"unterminated",
        "größe{ä=\"ö\"} @ 123 # comment\nfoo",
        "!!! ~~ }{ ][ $ ${x [[y]] `raw`",
        "",
    ] {
        for language in [Language::PromQL, Language::LogQL] {
            let tokens = tokenize(query, language);
            let rebuilt: String = tokens.iter().map(|t| t.text(query)).collect();
            assert_eq!(rebuilt, query);
            for pair in tokens.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
            }
        }
    }
}

#[test]
fn promql_tokens_are_classified_by_position() {
    use TokenKind::*;
    let got = kinds(
        "sum by (Hostname) (rate(DCGM_FI_DEV_GPU_UTIL{gpu=~\"0\"}[5m] offset 1h)) > 1e-3",
        Language::PromQL,
    );
    let expected = [
        ("sum", Function),
        ("by", Keyword),
        ("(", OpenParen),
        ("Hostname", LabelName),
        (")", CloseParen),
        ("(", OpenParen),
        ("rate", Function),
        ("(", OpenParen),
        ("DCGM_FI_DEV_GPU_UTIL", MetricName),
        ("{", OpenBrace),
        ("gpu", LabelName),
        ("=~", Operator),
        ("\"0\"", String { closed: true }),
        ("}", CloseBrace),
        ("[", OpenBracket),
        ("5m", Duration),
        ("]", CloseBracket),
        ("offset", Keyword),
        ("1h", Duration),
        (")", CloseParen),
        (")", CloseParen),
        (">", Operator),
        ("1e-3", Number),
    ];
    let expected: Vec<(std::string::String, TokenKind)> = expected
        .iter()
        .map(|(t, k)| ((*t).to_owned(), *k))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn logql_line_filters_pipes_and_stages_are_told_apart() {
    use TokenKind::*;
    let got = kinds(
        "{app=\"api\", level!=\"debug\"} != \"health\" |= `GET` | json | status >= 500 | line_format \"{{.msg}}\"",
        Language::LogQL,
    );
    let kinds_only: Vec<TokenKind> = got.iter().map(|(_, k)| *k).collect();
    assert_eq!(
        kinds_only,
        vec![
            OpenBrace,
            LabelName,
            Operator,
            String { closed: true },
            Comma,
            LabelName,
            Operator,
            String { closed: true },
            CloseBrace,
            LineFilter,
            String { closed: true },
            LineFilter,
            String { closed: true },
            Pipe,
            Stage,
            Pipe,
            LabelName,
            Operator,
            Number,
            Pipe,
            Stage,
            String { closed: true },
        ]
    );
}

#[test]
fn variables_and_open_strings_are_recognised() {
    use TokenKind::*;
    let got = kinds(
        "up{job=~\"$job\", x=\"${y}\"} [[z]] $__rate_interval \"open",
        Language::PromQL,
    );
    assert!(got.contains(&("[[z]]".to_owned(), Variable)));
    assert!(got.contains(&("$__rate_interval".to_owned(), Variable)));
    assert_eq!(got.last().unwrap().1, String { closed: false });
    assert_eq!(
        TokenKind::String { closed: false }.css_class(),
        "tok-string tok-open"
    );
}

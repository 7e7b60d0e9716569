//! A small, safe Markdown subset for text panels: headings, paragraphs, lists, quotes, code,
//! rules, emphasis, inline code and links. The result is a tree the UI renders as text nodes, so
//! HTML in a dashboard file is shown, never run, and links keep only `http(s)` or in-app targets.

/// A block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    Quote(Vec<Inline>),
    Code(String),
    Rule,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Code(String),
    /// A link; `href` is `None` when the target was not allowed (shown as plain text).
    Link {
        content: Vec<Inline>,
        href: Option<String>,
    },
    LineBreak,
}

/// Most blocks a document may produce, so a hostile 1 MB text panel stays cheap to render. Each
/// list item counts as a block (a 20,000-item list froze the tab for seconds).
pub const MAX_BLOCKS: usize = 2_000;

/// Only `http(s)://…`, in-app paths (`/d/…`) and fragments (`#…`) are followed.
#[must_use]
pub fn safe_href(href: &str) -> Option<String> {
    let h = href.trim();
    let lower = h.to_ascii_lowercase();
    let allowed = lower.starts_with("https://")
        || lower.starts_with("http://")
        || (h.starts_with('/') && !h.starts_with("//") && !h.starts_with("/\\"))
        || h.starts_with('#');
    (allowed && !h.chars().any(char::is_control)).then(|| h.to_owned())
}

/// Parses `text` into blocks.
#[must_use]
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut lines = text.lines().peekable();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(parse_inlines(&paragraph.join("\n"))));
            paragraph.clear();
        }
    };
    // List items beyond their list's own block: they cost as much to draw.
    let mut extra_items = 0usize;
    while let Some(line) = lines.next() {
        if blocks.len() + extra_items >= MAX_BLOCKS {
            break;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut paragraph, &mut blocks);
            let fence = &trimmed[..3];
            let mut code = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim_start().starts_with(fence) {
                    break;
                }
                code.push(inner);
            }
            blocks.push(Block::Code(code.join("\n")));
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some((level, rest)) = heading(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading {
                level,
                content: parse_inlines(rest),
            });
        } else if is_rule(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Rule);
        } else if let Some(rest) = trimmed.strip_prefix('>') {
            flush(&mut paragraph, &mut blocks);
            let mut quote = vec![rest.trim_start()];
            while let Some(next) = lines.peek().and_then(|l| l.trim_start().strip_prefix('>')) {
                quote.push(next.trim_start());
                lines.next();
            }
            blocks.push(Block::Quote(parse_inlines(&quote.join("\n"))));
        } else if let Some((ordered, item)) = list_item(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let mut items = vec![parse_inlines(item)];
            while let Some((o, next)) = lines.peek().and_then(|l| list_item(l.trim_start())) {
                if o != ordered || blocks.len() + extra_items + items.len() >= MAX_BLOCKS {
                    break;
                }
                items.push(parse_inlines(next));
                lines.next();
            }
            extra_items += items.len() - 1;
            blocks.push(Block::List { ordered, items });
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        #[allow(clippy::cast_possible_truncation)]
        return Some((
            hashes as u8,
            line[hashes..].trim().trim_end_matches('#').trim_end(),
        ));
    }
    None
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && (compact.chars().all(|c| c == '-')
            || compact.chars().all(|c| c == '*')
            || compact.chars().all(|c| c == '_'))
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some((false, rest));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 10 {
        let rest = &line[digits..];
        if let Some(item) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, item));
        }
    }
    None
}

/// Parses inline Markdown.
#[must_use]
pub fn parse_inlines(text: &str) -> Vec<Inline> {
    parse_inlines_depth(text, 0)
}

fn parse_inlines_depth(text: &str, depth: usize) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let push_plain = |plain: &mut String, out: &mut Vec<Inline>| {
        if !plain.is_empty() {
            out.push(Inline::Text(std::mem::take(plain)));
        }
    };
    // `i` is a byte offset on a char boundary; every branch advances it.
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let rest = &text[i..];
        let next = rest[c.len_utf8()..].chars().next();
        if c == '\\' && next.is_some_and(|n| n.is_ascii_punctuation()) {
            plain.push(next.unwrap_or('\\'));
            i += 2;
        } else if c == '\n' {
            if plain.ends_with("  ") {
                let trimmed = plain.trim_end().to_owned();
                plain = trimmed;
                push_plain(&mut plain, &mut out);
                out.push(Inline::LineBreak);
            } else {
                plain.push(' ');
            }
            i += 1;
        } else if c == '`' {
            if let Some(end) = rest[1..].find('`') {
                push_plain(&mut plain, &mut out);
                out.push(Inline::Code(rest[1..1 + end].to_owned()));
                i += end + 2;
            } else {
                plain.push(c);
                i += 1;
            }
        } else if depth < 8 && (rest.starts_with("**") || rest.starts_with("__")) {
            let marker = &rest[..2];
            match rest[2..].find(marker) {
                Some(end) if end > 0 => {
                    push_plain(&mut plain, &mut out);
                    out.push(Inline::Strong(parse_inlines_depth(
                        &rest[2..2 + end],
                        depth + 1,
                    )));
                    i += 2 + end + 2;
                }
                _ => {
                    plain.push_str(marker);
                    i += 2;
                }
            }
        } else if depth < 8 && (c == '*' || c == '_') {
            let body = &rest[1..];
            match body.find(c) {
                Some(end) if end > 0 && !body.starts_with(' ') => {
                    push_plain(&mut plain, &mut out);
                    out.push(Inline::Emphasis(parse_inlines_depth(
                        &body[..end],
                        depth + 1,
                    )));
                    i += 1 + end + 1;
                }
                _ => {
                    plain.push(c);
                    i += 1;
                }
            }
        } else if c == '[' {
            if let Some((label, href, used)) = link_at(rest) {
                push_plain(&mut plain, &mut out);
                out.push(Inline::Link {
                    content: parse_inlines_depth(label, depth + 1),
                    href: safe_href(href),
                });
                i += used;
            } else {
                plain.push(c);
                i += 1;
            }
        } else {
            plain.push(c);
            i += c.len_utf8();
        }
    }
    push_plain(&mut plain, &mut out);
    out
}

/// `[label](href)` at the start of `text`: label, href and the number of bytes used.
///
/// Labels cannot contain brackets or newlines and targets cannot contain spaces, brackets or
/// newlines, so every scan stops at the next `[` and hostile `[[[[…` input stays linear.
fn link_at(text: &str) -> Option<(&str, &str, usize)> {
    let close = 1 + text[1..].find(['[', ']', '\n'])?;
    if !text[close..].starts_with("](") {
        return None;
    }
    let label = &text[1..close];
    let target_start = close + 2;
    let target_len = text[target_start..].find([')', '[', ' ', '\n'])?;
    if !text[target_start + target_len..].starts_with(')') {
        return None;
    }
    let href = &text[target_start..target_start + target_len];
    Some((label, href, target_start + target_len + 1))
}

/// The plain text of inlines (for titles, tooltips and tests).
#[must_use]
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Link { content: c, .. } => {
                out.push_str(&plain_text(c));
            }
            Inline::LineBreak => out.push('\n'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_common_blocks() {
        let doc = parse("# Title\n\nSome *fleet* **notes**.\n\n- one\n- two\n\n1. a\n2. b\n\n> quoted\n\n---\n\n```\ncode <b>\n```");
        assert_eq!(doc.len(), 7, "{doc:#?}");
        assert!(
            matches!(&doc[0], Block::Heading { level: 1, content } if plain_text(content) == "Title")
        );
        assert_eq!(
            doc[1],
            Block::Paragraph(vec![
                Inline::Text("Some ".into()),
                Inline::Emphasis(vec![Inline::Text("fleet".into())]),
                Inline::Text(" ".into()),
                Inline::Strong(vec![Inline::Text("notes".into())]),
                Inline::Text(".".into()),
            ])
        );
        assert!(matches!(&doc[2], Block::List { ordered: false, items } if items.len() == 2));
        assert!(matches!(&doc[3], Block::List { ordered: true, items } if items.len() == 2));
        assert!(matches!(&doc[4], Block::Quote(_)));
        assert_eq!(doc[5], Block::Rule);
        assert_eq!(doc[6], Block::Code("code <b>".into()));
    }

    #[test]
    fn html_stays_text() {
        let doc = parse("<img src=x onerror=alert(1)> and <script>alert(1)</script>");
        assert_eq!(
            plain_text(match &doc[0] {
                Block::Paragraph(i) => i,
                other => panic!("{other:?}"),
            }),
            "<img src=x onerror=alert(1)> and <script>alert(1)</script>"
        );
    }

    #[test]
    fn only_safe_links_are_followed() {
        let doc = parse("[ok](https://docs.coreweave.com) [bad](javascript:alert(1)) [app](/d/gpu) [x](//evil.example)");
        let Block::Paragraph(inlines) = &doc[0] else {
            panic!("{doc:?}")
        };
        let hrefs: Vec<Option<String>> = inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Link { href, .. } => Some(href.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            hrefs,
            vec![
                Some("https://docs.coreweave.com".into()),
                None,
                Some("/d/gpu".into()),
                None
            ]
        );
    }

    #[test]
    fn inline_code_and_escapes() {
        let inl = parse_inlines(r"use `rate(x[5m])` not \*this\*");
        assert_eq!(inl[1], Inline::Code("rate(x[5m])".into()));
        assert_eq!(plain_text(&inl), "use rate(x[5m]) not *this*");
    }

    #[test]
    fn hostile_input_is_bounded() {
        let deep = "*".repeat(10_000) + &"_".repeat(10_000);
        let _ = parse(&deep);
        let many = "# h\n".repeat(10_000);
        assert!(parse(&many).len() <= MAX_BLOCKS);
        let items = |blocks: &[Block]| -> usize {
            blocks
                .iter()
                .map(|b| match b {
                    Block::List { items, .. } => items.len(),
                    _ => 1,
                })
                .sum()
        };
        let long_list = "- item\n".repeat(20_000);
        assert_eq!(items(&parse(&long_list)), MAX_BLOCKS);
        let mixed = "# h\n- a\n- b\n\n".repeat(5_000);
        assert!(items(&parse(&mixed)) <= MAX_BLOCKS);
        let unicode = "é*ü*[ö](https://x.example/ä)**ß**";
        assert_eq!(plain_text(&parse_inlines(unicode)), "éüöß");
        let brackets = "[".repeat(1_000_000);
        assert!(!parse(&brackets).is_empty());
        let big = "word *and* more ".repeat(70_000);
        assert!(
            !parse(&big).is_empty(),
            "a 1 MB paragraph parses (linear time)"
        );
    }
}

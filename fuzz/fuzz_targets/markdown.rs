//! Fuzz target: text-panel Markdown. Never a panic, never more than `MAX_BLOCKS` blocks and
//! list items, and every link it keeps is one `safe_href` allows.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sightline_core::model::markdown::{parse, safe_href, Block, Inline, MAX_BLOCKS};

fn check(inlines: &[Inline]) {
    for inline in inlines {
        match inline {
            Inline::Link { content, href } => {
                if let Some(href) = href {
                    assert_eq!(safe_href(href).as_deref(), Some(href.as_str()), "{href}");
                }
                check(content);
            }
            Inline::Strong(c) | Inline::Emphasis(c) => check(c),
            _ => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let blocks = parse(text);
    let mut drawn = 0;
    for block in &blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph(content) | Block::Quote(content) => {
                drawn += 1;
                check(content);
            }
            Block::List { items, .. } => {
                drawn += items.len();
                items.iter().for_each(|i| check(i));
            }
            Block::Code(_) | Block::Rule => drawn += 1,
        }
    }
    assert!(drawn <= MAX_BLOCKS, "{drawn} blocks and items");
});

//! The text panel: Markdown rendered as elements and text nodes (never as HTML), links only to
//! `http(s)` or in-app targets, opening without a referrer.

use leptos::prelude::*;
use sightline_core::model::markdown::{parse, Block, Inline};

fn inlines(items: Vec<Inline>) -> Vec<AnyView> {
    items
        .into_iter()
        .map(|inline| match inline {
            Inline::Text(t) => t.into_any(),
            Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
            Inline::Strong(c) => view! { <strong>{inlines(c)}</strong> }.into_any(),
            Inline::Emphasis(c) => view! { <em>{inlines(c)}</em> }.into_any(),
            Inline::LineBreak => view! { <br/> }.into_any(),
            Inline::Link {
                content,
                href: Some(href),
            } => view! {
                <a href=href target="_blank" rel="noopener noreferrer">{inlines(content)}</a>
            }
            .into_any(),
            Inline::Link {
                content,
                href: None,
            } => view! { <span>{inlines(content)}</span> }.into_any(),
        })
        .collect()
}

fn block(b: Block) -> AnyView {
    match b {
        Block::Heading { level, content } => match level {
            1 => view! { <h1>{inlines(content)}</h1> }.into_any(),
            2 => view! { <h2>{inlines(content)}</h2> }.into_any(),
            3 => view! { <h3>{inlines(content)}</h3> }.into_any(),
            _ => view! { <h4>{inlines(content)}</h4> }.into_any(),
        },
        Block::Paragraph(c) => view! { <p>{inlines(c)}</p> }.into_any(),
        Block::Quote(c) => view! { <blockquote>{inlines(c)}</blockquote> }.into_any(),
        Block::Code(t) => view! { <pre><code>{t}</code></pre> }.into_any(),
        Block::Rule => view! { <hr/> }.into_any(),
        Block::List { ordered: true, items } => view! {
            <ol>{items.into_iter().map(|i| view! { <li>{inlines(i)}</li> }).collect::<Vec<_>>()}</ol>
        }
        .into_any(),
        Block::List { ordered: false, items } => view! {
            <ul>{items.into_iter().map(|i| view! { <li>{inlines(i)}</li> }).collect::<Vec<_>>()}</ul>
        }
        .into_any(),
    }
}

/// A text panel body. `markdown == false` (Grafana's `html` mode) shows the text as it is.
#[component]
pub fn TextPanel(content: String, markdown: bool) -> impl IntoView {
    if markdown {
        view! { <div class="text-panel markdown">{parse(&content).into_iter().map(block).collect::<Vec<_>>()}</div> }.into_any()
    } else {
        view! { <pre class="text-panel plain">{content}</pre> }.into_any()
    }
}

//! A corpus of hostile strings (issue 10) for dashboard fields, label values and log lines.
//!
//! Every payload that could run script tries to set the global [`CANARY`]; a test that renders
//! them (with the page's CSP bypassed, so only the app's own escaping is tested) then checks that
//! the canary was never set and that no element the payloads describe exists in the page.

/// The global a payload sets when it manages to run: `window.__sightline_canary`.
pub const CANARY: &str = "__sightline_canary";

/// One hostile string and what it tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payload {
    /// Short name (used in panel titles and messages).
    pub name: &'static str,
    pub text: &'static str,
}

/// The corpus: HTML and script injection, `javascript:` links, a closing `</script>`, attribute
/// breaks, template syntax, bidirectional overrides, NUL and other control characters.
pub const PAYLOADS: [Payload; 12] = [
    Payload {
        name: "img-onerror",
        text: "<img src=x onerror=\"window.__sightline_canary='img-onerror'\">",
    },
    Payload {
        name: "svg-onload",
        text: "<svg/onload=window.__sightline_canary='svg-onload'>",
    },
    Payload {
        name: "script-close",
        text: "</script><script>window.__sightline_canary='script-close'</script>",
    },
    Payload {
        name: "attribute-break",
        text: "\"'><iframe srcdoc=\"<script>parent.__sightline_canary='iframe'</script>\"></iframe>",
    },
    Payload {
        name: "javascript-url",
        text: "javascript:window.__sightline_canary='javascript-url'",
    },
    Payload {
        name: "data-url",
        text: "data:text/html,<script>window.__sightline_canary='data-url'</script>",
    },
    Payload {
        name: "markdown-link",
        text: "[click me](javascript:window.__sightline_canary='markdown-link') [x](//evil.example/a)",
    },
    Payload {
        name: "template",
        text: "{{constructor.constructor('window.__sightline_canary=1')()}} ${7*7} #{7*7} {{7*7}}",
    },
    Payload {
        name: "rtl-override",
        text: "invoice\u{202e}fdp.exe\u{202c} \u{2066}isolate\u{2069} \u{200f}rtl",
    },
    Payload {
        name: "nul-and-controls",
        text: "before\u{0}after\u{7}bell\u{1b}[31mred\u{1b}[0m\r\nnext",
    },
    Payload {
        name: "style-break",
        text: "</style><style>body{display:none}</style><link rel=stylesheet href=//evil.example/x.css>",
    },
    Payload {
        name: "entity",
        text: "&lt;b&gt;bold&lt;/b&gt; &amp; &#60;i&#62; &#x3C;u&#x3E;",
    },
];

/// A title of `bytes` bytes (the "1 MB title").
#[must_use]
pub fn long_text(bytes: usize) -> String {
    let unit = "Sightline-long-title ";
    let mut text = unit.repeat(bytes / unit.len() + 1);
    text.truncate(bytes);
    text
}

/// Every payload joined with ` | ` (for one field that carries the whole corpus).
#[must_use]
pub fn all_in_one() -> String {
    PAYLOADS
        .iter()
        .map(|p| p.text)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A JavaScript expression that is `null` when nothing ran and nothing was injected, else a text
/// describing what was found: the canary, or elements the corpus would create if it were parsed
/// as HTML (`img[src=x]`, `svg`, `iframe[srcdoc]`, `script` without `src`, `style` elements).
pub const INJECTION_PROBE: &str = r#"(function () {
  const found = [];
  if (window.__sightline_canary !== undefined) found.push('canary=' + window.__sightline_canary);
  if (document.querySelector('img[src=x], img[src$="/x"]')) found.push('img[src=x]');
  if (document.querySelector('iframe')) found.push('iframe');
  if (document.querySelector('body svg[onload], svg[onload]')) found.push('svg[onload]');
  for (const s of document.querySelectorAll('script')) {
    if (!s.src) found.push('inline script: ' + s.textContent.slice(0, 60));
  }
  for (const s of document.querySelectorAll('style')) found.push('style element');
  for (const l of document.querySelectorAll('link[rel=stylesheet]')) {
    if (!l.href.startsWith(location.origin)) found.push('foreign stylesheet ' + l.href);
  }
  for (const a of document.querySelectorAll('a[href]')) {
    const h = a.getAttribute('href');
    const ok = /^https?:\/\//i.test(h) || (h.startsWith('/') && !h.startsWith('//') && !h.startsWith('/\\')) || h.startsWith('#') || h.startsWith('?') || h.startsWith('blob:');
    if (!ok) found.push('unsafe link ' + h);
  }
  return found.length ? found.join('; ') : null;
})()"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_payload_names_the_canary() {
        let scripted = PAYLOADS
            .iter()
            .filter(|p| p.text.contains("script") || p.text.contains("on"))
            .count();
        assert!(scripted >= 6);
        assert!(PAYLOADS
            .iter()
            .filter(|p| p.text.contains("__sightline_canary"))
            .all(|p| p.text.contains(CANARY)));
    }

    #[test]
    fn long_text_has_the_asked_length() {
        assert_eq!(long_text(1_000_000).len(), 1_000_000);
        assert_eq!(long_text(5), "Sight");
    }
}

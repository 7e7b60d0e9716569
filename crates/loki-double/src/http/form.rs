//! `application/x-www-form-urlencoded` and query-string decoding (repeated keys kept).

/// Decodes `a=1&b=x%20y&b=z` into pairs, in order. `+` is a space.
#[must_use]
pub fn parse_urlencoded(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(part), String::new()),
        })
        .collect()
}

/// Percent-decodes (`+` → space); invalid escapes are kept as written, invalid UTF-8 is replaced.
#[must_use]
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_plus_and_percent_escapes() {
        assert_eq!(
            parse_urlencoded("query=%7Bapp%3D%22x%22%7D&match%5B%5D=a+b&match[]=c&flag"),
            vec![
                ("query".to_string(), "{app=\"x\"}".to_string()),
                ("match[]".to_string(), "a b".to_string()),
                ("match[]".to_string(), "c".to_string()),
                ("flag".to_string(), String::new()),
            ]
        );
    }

    #[test]
    fn odd_escapes_never_panic() {
        for s in ["%", "%4", "%zz", "a%", "%%", "%e2%82", "%ff"] {
            let _ = percent_decode(s);
        }
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("100%"), "100%");
    }
}

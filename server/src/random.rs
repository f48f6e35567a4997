//! Unguessable values from the operating system: sharing access tokens, insight short ids, row uuids.

/// `n` random bytes. The OS generator does not fail on the platforms the stand-in runs on; if it
/// ever does, answering with a predictable token would be worse than stopping the request.
fn bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the operating system's random source is available");
    buf
}

/// `chars` characters drawn uniformly from `alphabet` (which must have at most 256 characters).
fn token(alphabet: &[u8], chars: usize) -> String {
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(chars);
    while out.len() < chars {
        for b in bytes::<32>() {
            // Rejection sampling keeps every character equally likely.
            if (b as usize) < limit && out.len() < chars {
                out.push(alphabet[b as usize % alphabet.len()] as char);
            }
        }
    }
    out
}

/// Python's `secrets.token_urlsafe(22)`: 30 URL-safe characters, PostHog's sharing access token.
pub fn access_token() -> String {
    token(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        30,
    )
}

/// An OAuth secret (authorization code, access or refresh token): `prefix` and 43 URL-safe
/// characters (258 bits).
pub fn oauth_secret(prefix: &str) -> String {
    let body = token(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        43,
    );
    format!("{prefix}{body}")
}

/// PostHog's `generate_short_id`: 8 alphanumeric characters.
pub fn short_id() -> String {
    token(
        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        8,
    )
}

/// An insight's cache key, `cache_` and 32 hex digits.
pub fn filters_hash() -> String {
    format!("cache_{}", token(b"0123456789abcdef", 32))
}

/// A random (version 4) UUID in its hyphenated form.
pub fn uuid() -> String {
    let mut b = bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_posthog_shapes() {
        let token = access_token();
        assert_eq!(token.len(), 30);
        assert!(token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(token, access_token());
        assert_eq!(short_id().len(), 8);
        let id = uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }
}

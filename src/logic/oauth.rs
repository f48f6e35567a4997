//! The browser side of OAuth sign-in with PKCE (RFC 7636) for a public client: the code
//! verifier and its S256 challenge, the `state` that ties a callback to the tab that started
//! it, and reading the callback's query. Plain Rust: SHA-256 is a few lines here, cheaper in
//! the wasm than SubtleCrypto's promise plumbing.

use super::list_query::decode_component;

/// What the tab remembers across the redirect to PostHog (in sessionStorage).
#[derive(Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    /// The random value PostHog sends back; a callback with another one is refused.
    pub state: String,
    /// The PKCE secret; only its challenge left the browser.
    pub verifier: String,
    pub host: String,
    pub client_id: String,
    pub redirect_uri: String,
}

impl PendingSignIn {
    /// One field per line (none of them can hold a line break); cheaper in the wasm than serde.
    pub fn to_text(&self) -> String {
        let Self {
            state,
            verifier,
            host,
            client_id,
            redirect_uri,
        } = self;
        format!("{state}\n{verifier}\n{host}\n{client_id}\n{redirect_uri}")
    }

    /// Reads what [`PendingSignIn::to_text`] wrote.
    pub fn from_text(text: &str) -> Option<Self> {
        let mut lines = text.split('\n').map(str::to_owned);
        let pending = Self {
            state: lines.next()?,
            verifier: lines.next()?,
            host: lines.next()?,
            client_id: lines.next()?,
            redirect_uri: lines.next()?,
        };
        lines.next().is_none().then_some(pending)
    }
}

impl std::fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

/// Why a callback does not sign the user in; each has a word for the connect screen's URL
/// (never free text from the callback) and a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInFailure {
    /// The user pressed "Deny" (`error=access_denied`).
    Denied,
    /// The callback's `state` is not the one this tab sent, or no sign-in was started here.
    StateMismatch,
    /// PostHog answered with another error, or without a code.
    Refused,
    /// The code could not be exchanged for tokens.
    Exchange,
    /// A refresh failed: the sign-in expired or was revoked.
    Expired,
}

impl SignInFailure {
    const ALL: [SignInFailure; 5] = [
        Self::Denied,
        Self::StateMismatch,
        Self::Refused,
        Self::Exchange,
        Self::Expired,
    ];

    /// The word carried in `/connect?sign_in=…`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Denied => "denied",
            Self::StateMismatch => "state",
            Self::Refused => "refused",
            Self::Exchange => "exchange",
            Self::Expired => "expired",
        }
    }

    /// The failure named by `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The sentence the connect screen shows.
    pub fn user_message(self) -> &'static str {
        match self {
            Self::Denied => "Sign-in was cancelled: access was denied on PostHog's consent page.",
            Self::StateMismatch => {
                "Sign-in stopped: the answer from PostHog does not belong to a sign-in started \
                 in this tab, so it was ignored. Start again with Sign in with PostHog."
            }
            Self::Refused => {
                "PostHog refused the sign-in request. Whoever hosts Dashdeck may need to check \
                 its OAuth client document (see the README)."
            }
            Self::Exchange => {
                "PostHog did not accept the sign-in. Start again with Sign in with PostHog."
            }
            Self::Expired => "Your PostHog sign-in has expired or was revoked. Sign in again.",
        }
    }
}

/// Reads the callback's query (`?code=…&state=…` or `?error=…&state=…`) against the
/// sign-in this tab started, and returns the authorization code.
pub fn read_callback(
    query: &str,
    pending: Option<&PendingSignIn>,
) -> Result<String, SignInFailure> {
    let mut code = None;
    let mut state = None;
    let mut error = None;
    for pair in query.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = Some(decode_component(value));
        match key {
            "code" => code = value,
            "state" => state = value,
            "error" => error = value,
            _ => {}
        }
    }
    // The state is checked first: an error page forged by another site is ignored too.
    match pending {
        Some(pending) if state.as_deref() == Some(pending.state.as_str()) => {}
        _ => return Err(SignInFailure::StateMismatch),
    }
    match (error.as_deref(), code) {
        (Some("access_denied"), _) => Err(SignInFailure::Denied),
        (None, Some(code)) if !code.is_empty() => Ok(code),
        _ => Err(SignInFailure::Refused),
    }
}

/// A code verifier from 32 random bytes: 43 URL-safe characters (RFC 7636 §4.1).
pub fn code_verifier(random: &[u8; 32]) -> String {
    base64url(random)
}

/// The S256 challenge of a verifier: `BASE64URL(SHA256(verifier))`.
pub fn code_challenge(verifier: &str) -> String {
    base64url(&sha256(verifier.as_bytes()))
}

/// Base64url without padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// SHA-256 (FIPS 180-4).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let choice = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let majority = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(majority);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (h, v) in h.iter_mut().zip(v) {
            *h = h.wrapping_add(v);
        }
    }
    let mut out = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha256_matches_fips_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Two blocks.
        assert_eq!(
            hex(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        let random = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = code_verifier(&random);
        assert_eq!(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            code_challenge(&verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn base64url_has_no_padding() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    fn pending() -> PendingSignIn {
        PendingSignIn {
            state: "s-1".into(),
            verifier: "v".repeat(43),
            host: "https://eu.posthog.com".into(),
            client_id: "https://app.example/oauth-client.json".into(),
            redirect_uri: "https://app.example/oauth/callback".into(),
        }
    }

    #[test]
    fn callbacks_need_this_tabs_state() {
        let p = pending();
        assert_eq!(
            read_callback("?code=abc%2Bd&state=s-1", Some(&p)),
            Ok("abc+d".into())
        );
        assert_eq!(
            read_callback("?code=abc&state=s-2", Some(&p)),
            Err(SignInFailure::StateMismatch)
        );
        assert_eq!(
            read_callback("?code=abc", Some(&p)),
            Err(SignInFailure::StateMismatch)
        );
        assert_eq!(
            read_callback("?code=abc&state=s-1", None),
            Err(SignInFailure::StateMismatch)
        );
        assert_eq!(
            read_callback("?error=access_denied&state=s-1", Some(&p)),
            Err(SignInFailure::Denied)
        );
        assert_eq!(
            read_callback("?error=access_denied&state=forged", Some(&p)),
            Err(SignInFailure::StateMismatch)
        );
        assert_eq!(
            read_callback("?error=invalid_scope&state=s-1", Some(&p)),
            Err(SignInFailure::Refused)
        );
        assert_eq!(
            read_callback("?state=s-1&code=", Some(&p)),
            Err(SignInFailure::Refused)
        );
    }

    #[test]
    fn failures_round_trip_through_their_codes() {
        for failure in SignInFailure::ALL {
            assert_eq!(SignInFailure::from_code(failure.code()), Some(failure));
            assert!(failure.user_message().ends_with('.'));
        }
        assert_eq!(SignInFailure::from_code("<script>"), None);
    }

    #[test]
    fn pending_sign_ins_survive_storage() {
        let text = pending().to_text();
        assert_eq!(PendingSignIn::from_text(&text), Some(pending()));
        assert_eq!(PendingSignIn::from_text("a\nb"), None);
        assert_eq!(PendingSignIn::from_text(&format!("{text}\nextra")), None);
    }

    #[test]
    fn debug_hides_the_verifier() {
        assert!(!format!("{:?}", pending()).contains("vvvv"));
    }
}

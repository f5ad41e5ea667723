//! The signed password of LoginRequest14sp4: `md5_hex(nonce ":" sha1_hex(password))`.

use sha1::{Digest, Sha1};

/// Lower-case hex SHA-1 of the password's UTF-8 bytes.
pub fn sha1_hex(password: &str) -> String {
    format!("{:x}", Sha1::digest(password.as_bytes()))
}

/// The signed password BroadWorks expects for `nonce`.
pub fn signed_password(nonce: &str, password: &str) -> String {
    let material = format!("{nonce}:{}", sha1_hex(password));
    format!("{:x}", md5::compute(material.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_formula() {
        // Computed independently: python3 -c "import hashlib;
        // print(hashlib.md5(('1234567890123:'+hashlib.sha1(b'admin').hexdigest()).encode()).hexdigest())"
        assert_eq!(
            sha1_hex("admin"),
            "d033e22ae348aeb5660fc2140aec35850c4da997"
        );
        assert_eq!(
            signed_password("1234567890123", "admin"),
            "f3076f4ea92feb69ea61b3321635088f"
        );
    }
}

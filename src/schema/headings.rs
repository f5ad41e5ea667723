//! An OCITable's column headings as JSON keys: "User Id" is `userId`, "Hiragana Last Name"
//! `hiraganaLastName` (words split on spaces, other characters dropped), and back, through the
//! headings the catalog knows for the response.

/// The lowerCamelCase key of a column heading.
pub fn key_of(heading: &str) -> String {
    if heading.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // One word: lowercased whole ("Weight" is weight).
        return heading.to_ascii_lowercase();
    }
    let mut key = String::with_capacity(heading.len());
    for word in heading.split(' ') {
        let letters = word.chars().filter(|c| c.is_alphanumeric());
        if key.is_empty() {
            key.extend(letters.flat_map(char::to_lowercase));
        } else {
            let mut letters = letters;
            if let Some(first) = letters.next() {
                key.extend(first.to_uppercase());
                key.extend(letters);
            }
        }
    }
    key
}

/// The heading of `key` among `known` (the catalog's headings for the response), else one made
/// from the key's words ("userId" is "User Id").
pub fn heading_of(key: &str, known: &[String]) -> String {
    if let Some(h) = known.iter().find(|h| key_of(h) == key) {
        return h.clone();
    }
    let mut heading = String::with_capacity(key.len() + 4);
    for (i, c) in key.chars().enumerate() {
        if i == 0 {
            heading.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            heading.push(' ');
            heading.push(c);
        } else {
            heading.push(c);
        }
    }
    heading
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_become_lower_camel_case_keys() {
        assert_eq!(key_of("User Id"), "userId");
        assert_eq!(key_of("Hiragana Last Name"), "hiraganaLastName");
        assert_eq!(key_of("Line/Port"), "lineport");
        assert_eq!(key_of("MAC Address"), "macAddress");
        assert_eq!(
            key_of("Is Phone Number Activated"),
            "isPhoneNumberActivated"
        );
    }

    #[test]
    fn keys_go_back_to_the_known_heading() {
        let known = vec!["Line/Port".to_owned(), "MAC Address".to_owned()];
        assert_eq!(heading_of("lineport", &known), "Line/Port");
        assert_eq!(heading_of("macAddress", &known), "MAC Address");
        assert_eq!(heading_of("userId", &known), "User Id");
    }
}

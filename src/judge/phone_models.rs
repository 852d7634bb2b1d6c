//! What a phone model's firmware fetches its files over, where a published source says so
//! (docs/FORMAT.md §15). Models no source covers are not guessed: the caller is told so.

/// One finding about some models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelFetch {
    /// The model numbers it covers (`8945`).
    pub models: &'static [&'static str],
    /// Whether the firmware asks over HTTP (port 6970) before TFTP.
    pub http_first: bool,
    /// Where this is known from.
    pub source: &'static str,
}

/// What is known from sources, one row per source.
pub const KNOWN_MODELS: &[ModelFetch] = &[
    ModelFetch {
        models: &["7965"],
        http_first: true,
        source: "the 7965 administration guide: configs and loads over HTTP, TFTP when HTTP fails",
    },
    ModelFetch {
        models: &["8945"],
        http_first: true,
        source: "an 8945's published console log (2018): every file, trust lists included, over HTTP 6970 first, then TFTP",
    },
    ModelFetch {
        models: &["8941", "8961", "9951", "9971"],
        http_first: true,
        source: "a forum answer on 89xx / 99xx phones: one try over HTTP, then TFTP",
    },
    ModelFetch {
        models: &["7902", "7905", "7912"],
        http_first: false,
        source: "their administration guide (CallManager 3.3) has the phone request its files from the TFTP server only",
    },
];

/// What is known about `model` (`8945`, `CP-8945`, `8945G`): the first four-digit number in
/// it is the model; `None` when no source covers it.
pub fn model_fetch(model: &str) -> Option<&'static ModelFetch> {
    let digits: String = model
        .chars()
        .skip_while(|character| !character.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    KNOWN_MODELS
        .iter()
        .find(|known| known.models.contains(&digits.as_str()))
}

/// Every model a source covers, for an error message.
pub fn known_model_names() -> Vec<&'static str> {
    KNOWN_MODELS
        .iter()
        .flat_map(|known| known.models.iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_are_found_however_they_are_written() {
        for written in ["8945", "CP-8945", "8945G", "Cisco 8945"] {
            assert!(
                model_fetch(written).is_some_and(|known| known.http_first),
                "{written}"
            );
        }
        assert!(model_fetch("7905").is_some_and(|known| !known.http_first));
        assert_eq!(model_fetch("8845"), None);
        assert_eq!(model_fetch("89450"), None);
        assert_eq!(model_fetch(""), None);
    }
}

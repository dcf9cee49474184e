//! Three-valued truth: a rule fires only on a definite answer.

/// Yes, no, or unknown (decided by a value only known at deploy time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Truth {
    No,
    Unknown,
    Yes,
}

impl Truth {
    pub fn from_bool(b: bool) -> Truth {
        if b { Truth::Yes } else { Truth::No }
    }

    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::No, _) | (_, Truth::No) => Truth::No,
            (Truth::Yes, Truth::Yes) => Truth::Yes,
            _ => Truth::Unknown,
        }
    }

    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::Yes, _) | (_, Truth::Yes) => Truth::Yes,
            (Truth::No, Truth::No) => Truth::No,
            _ => Truth::Unknown,
        }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Truth {
        match self {
            Truth::Yes => Truth::No,
            Truth::No => Truth::Yes,
            Truth::Unknown => Truth::Unknown,
        }
    }

    pub fn is_yes(self) -> bool {
        self == Truth::Yes
    }

    pub fn is_no(self) -> bool {
        self == Truth::No
    }

    /// Not definitely false.
    pub fn maybe(self) -> bool {
        self != Truth::No
    }

    /// OR over many (an empty set is `No`).
    pub fn any<I: IntoIterator<Item = Truth>>(it: I) -> Truth {
        let mut acc = Truth::No;
        for t in it {
            acc = acc.or(t);
            if acc == Truth::Yes {
                break;
            }
        }
        acc
    }

    /// AND over many (an empty set is `Yes`).
    pub fn all<I: IntoIterator<Item = Truth>>(it: I) -> Truth {
        let mut acc = Truth::Yes;
        for t in it {
            acc = acc.and(t);
            if acc == Truth::No {
                break;
            }
        }
        acc
    }
}

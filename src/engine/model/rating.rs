//! The RAG delivery rating of a line (docs/domain.md, "Monitoring"): red, amber or green.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A line's delivery rating (docs/domain.md, "Monitoring": lines carry a RAG delivery rating).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    /// High risk of not being delivered.
    Red,
    Amber,
    /// On track.
    Green,
}

impl Rag {
    pub const ALL: [Rag; 3] = [Rag::Red, Rag::Amber, Rag::Green];

    /// Reads a rating as published in a RAG column, tolerantly: a colour word anywhere in the
    /// text, any case (`Red`, `AMBER`, `red - high risk`, `RAG: Green`), or a text made only of
    /// the letters R, A and G (`R`, `a`, `A/G`). A text naming two ratings (`Amber/Green`,
    /// `Red-Amber`) is the worse of them, so a risk-adjusted view never counts a split rating
    /// at the better one. Anything else (`Potential to improve outcomes`, `High`, `N/A`, empty)
    /// is `None`: unrated.
    ///
    /// ```
    /// use gapwise::engine::Rag;
    /// assert_eq!(Rag::parse("red - high risk"), Some(Rag::Red));
    /// assert_eq!(Rag::parse("Amber/Green"), Some(Rag::Amber));
    /// assert_eq!(Rag::parse("G"), Some(Rag::Green));
    /// assert_eq!(Rag::parse("A reduction in agency staff"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Rag> {
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let named = |w: &&str| match *w {
            "red" => Some(Rag::Red),
            "amber" => Some(Rag::Amber),
            "green" => Some(Rag::Green),
            _ => None,
        };
        let colours: Vec<Rag> = words.iter().filter_map(named).collect();
        if !colours.is_empty() {
            return colours.into_iter().reduce(Rag::worse);
        }
        let letter = |w: &&str| match *w {
            "r" => Some(Rag::Red),
            "a" => Some(Rag::Amber),
            "g" => Some(Rag::Green),
            _ => None,
        };
        let letters: Option<Vec<Rag>> = words.iter().map(letter).collect();
        letters.and_then(|l| l.into_iter().reduce(Rag::worse))
    }

    /// The rating as shown: `Red`, `Amber`, `Green`.
    pub fn label(self) -> &'static str {
        match self {
            Rag::Red => "Red",
            Rag::Amber => "Amber",
            Rag::Green => "Green",
        }
    }

    /// The worse of two ratings: red before amber before green.
    fn worse(self, other: Rag) -> Rag {
        let rank = |r: Rag| match r {
            Rag::Red => 0,
            Rag::Amber => 1,
            Rag::Green => 2,
        };
        if rank(other) < rank(self) {
            other
        } else {
            self
        }
    }
}

/// The achievement rate a risk-adjusted view counts a line at, by its rating (docs/domain.md,
/// "Monitoring"). Rates are fractions (`0.5` is 50 %); a line with no rating counts at
/// `unrated`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RagRates {
    pub red: Decimal,
    pub amber: Decimal,
    pub green: Decimal,
    pub unrated: Decimal,
}

impl Default for RagRates {
    /// Red 0 %, amber 50 %, green 100 %, unrated 100 % (a line nobody has rated is counted as
    /// published).
    fn default() -> RagRates {
        RagRates {
            red: Decimal::ZERO,
            amber: Decimal::new(5, 1),
            green: Decimal::ONE,
            unrated: Decimal::ONE,
        }
    }
}

impl RagRates {
    /// Every rating at 100 %: the schedule as published.
    pub fn full() -> RagRates {
        RagRates {
            red: Decimal::ONE,
            amber: Decimal::ONE,
            green: Decimal::ONE,
            unrated: Decimal::ONE,
        }
    }

    /// The rate of a rating, or of no rating.
    pub fn rate(&self, rag: Option<Rag>) -> Decimal {
        match rag {
            Some(Rag::Red) => self.red,
            Some(Rag::Amber) => self.amber,
            Some(Rag::Green) => self.green,
            None => self.unrated,
        }
    }
}

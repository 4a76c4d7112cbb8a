//! A small deterministic generator (xorshift) for the generated-table tests, seeded by proptest,
//! so the tables are written without the engine's code or another crate's.

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    pub fn chance(&mut self, in_100: u64) -> bool {
        self.next() % 100 < in_100
    }
}

//! The random numbers of the delivery risk simulation (`simulation`): the generator, and the
//! shared risk factor that makes lines miss (or land) together.
//!
//! # Why a shared factor
//!
//! Drawn independently, hundreds of lines' shortfalls average out, and the band of the gap
//! (P10 to P90) comes out far narrower than anyone who has run a savings programme would
//! believe: in practice savings miss together (a demand surge, a recruitment freeze, a delayed
//! restructure hits many lines at once). So each run also draws one programme-wide factor, and
//! every line's draw leans on it by the correlation the settings state
//! ([`RiskSettings::correlation`](crate::engine::model::risk::RiskSettings), ρ from 0 to 1).
//!
//! # How the correlation enters the draw: a Gaussian copula
//!
//! In each run, one common normal number Z is drawn; for each drawn line, its own uniform
//! number u (the one it draws with no correlation) is turned into a normal number
//! Zᵢ = Φ⁻¹(u), and the line's uniform number becomes
//!
//! ```text
//! uᵢ = Φ( √ρ · Z + √(1 − ρ) · Zᵢ )
//! ```
//!
//! which drives the line's own distribution of delivery exactly as u did (its inverse
//! distribution function, `Sampler::rate`). √ρ·Z + √(1 − ρ)·Zᵢ is again a standard normal
//! number, so uᵢ is uniform and each line's distribution of delivery is unchanged; only how
//! the lines move together changes: any two lines' normal numbers have correlation ρ. With
//! ρ = 0 nothing is drawn for the factor and each line's u is used as it is, so the figures are
//! those of independent draws, as before the factor existed; with ρ = 1 every line takes the
//! same uᵢ = Φ(Z) in a run, the same point of its distribution (lines with the same distribution
//! deliver the same share).
//!
//! # The streams, and the same figures everywhere
//!
//! The lines' numbers are the one stream they always were: xoshiro256** seeded through
//! SplitMix64 from the seed, one number per drawn line per run, lines in schedule order. The
//! common factor has its own stream, seeded the same way from the seed XOR [`COMMON_STREAM`],
//! one number per run, so the lines' stream is untouched by it. Φ and Φ⁻¹ are computed here
//! with +, −, ×, ÷ and √ only (IEEE 754 gives those exactly alike on every machine; a library's
//! `exp` or `ln` may differ in the last bit between the browser and a native test), so the same
//! seed gives the same figures in the page and in `cargo test`. Φ⁻¹ is Acklam's rational
//! approximation (relative error below 1.2 × 10⁻⁹); Φ is Marsaglia's series, to the last bit
//! a double holds. A share is a probability: floating point is used for it only, never for money.

/// xoshiro256** (Blackman and Vigna), seeded by SplitMix64: small, fast, and written here so
/// the stream never changes under a link.
#[derive(Clone, Debug)]
pub(super) struct Rng(pub(super) [u64; 4]);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut split = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng([split(), split(), split(), split()])
    }

    #[inline(always)]
    pub(super) fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform number in [0, 1): the top 53 bits, exactly representable.
    #[inline(always)]
    pub(super) fn next_f64(&mut self) -> f64 {
        unit(self.next_u64())
    }
}

/// The top 53 bits of a random number as a uniform number in [0, 1).
#[inline(always)]
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The top 53 bits of a random number as a uniform number in (0, 1): the middle of its step,
/// so never 0 (whose Φ⁻¹ is −∞).
#[inline(always)]
fn open_unit(bits: u64) -> f64 {
    ((bits >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// What the common factor's seed is XORed with: "common" in ASCII.
pub const COMMON_STREAM: u64 = 0x636f_6d6d_6f6e;

/// The shared factor of a simulation whose correlation is above 0: its stream and the weights
/// √ρ and √(1 − ρ).
#[derive(Clone, Debug)]
pub(super) struct SharedFactor {
    common: Rng,
    common_weight: f64,
    own_weight: f64,
}

/// One run's common factor, ready to turn each line's random number into its share.
#[derive(Clone, Copy, Debug)]
pub(super) struct RunFactor {
    /// √ρ · Z.
    common: f64,
    own_weight: f64,
    /// With ρ = 1, the uniform number every line takes: Φ(Z).
    all: Option<f64>,
}

impl SharedFactor {
    /// The factor for a correlation given in basis points (0 to 10,000, as a validated
    /// correlation of at most 4 decimal places is); `None` at 0: lines are drawn independently,
    /// and no number is drawn for the factor.
    pub(super) fn new(seed: u64, correlation_bp: i64) -> Option<SharedFactor> {
        if correlation_bp <= 0 {
            return None;
        }
        let rho = correlation_bp.min(10_000) as f64 / 10_000.0;
        Some(SharedFactor {
            common: Rng::new(seed ^ COMMON_STREAM),
            common_weight: rho.sqrt(),
            own_weight: (1.0 - rho).sqrt(),
        })
    }

    /// Draws the next run's common factor.
    #[inline]
    pub(super) fn next_run(&mut self) -> RunFactor {
        let z = normal_quantile(open_unit(self.common.next_u64()));
        RunFactor {
            common: self.common_weight * z,
            own_weight: self.own_weight,
            all: (self.own_weight == 0.0).then(|| normal_cdf(z)),
        }
    }
}

impl RunFactor {
    /// A line's uniform number in [0, 1] from its own random number (module doc).
    #[inline]
    pub(super) fn share(&self, bits: u64) -> f64 {
        match self.all {
            Some(u) => u,
            None => normal_cdf(self.common + self.own_weight * normal_quantile(open_unit(bits))),
        }
    }
}

/// e^x for x ≤ 0 (0 below −708), with +, −, ×, ÷ only: x = k·ln 2 + r, |r| ≤ ½ ln 2, e^r by
/// its Taylor series to r¹⁴/14! (below 10⁻¹⁷), times 2^k built from its bits.
fn exp_non_positive(x: f64) -> f64 {
    if x < -708.0 {
        return 0.0;
    }
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // Rounded to the nearest whole number (x ≤ 0, so truncating x/ln 2 − ½ rounds).
    let k = (x * std::f64::consts::LOG2_E - 0.5) as i64;
    let r = (x - k as f64 * LN2_HI) - k as f64 * LN2_LO;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=14 {
        term = term * r / n as f64;
        sum += term;
    }
    // 2^k for k from −1022 up (k ≥ −1022 since x ≥ −708).
    sum * f64::from_bits(((1023 + k) as u64) << 52)
}

/// ln x for x > 0 (a normal number), with +, −, ×, ÷ only: x = m·2^e with √½ ≤ m < √2,
/// ln m = 2 atanh((m − 1)/(m + 1)) by its series (to s²¹/21, below 10⁻¹⁶).
fn ln_positive(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut power = s;
    let mut sum = s;
    for n in 1..=10 {
        power *= s2;
        sum += power / (2 * n + 1) as f64;
    }
    e as f64 * std::f64::consts::LN_2 + 2.0 * sum
}

/// Φ(z), the standard normal distribution function, by Marsaglia's series
/// Φ(z) = ½ + φ(z)·(z + z³/3 + z⁵/(3·5) + …), summed until a term no longer changes the sum
/// (all terms have z's sign, so nothing cancels). In [0, 1].
pub(crate) fn normal_cdf(z: f64) -> f64 {
    if z.is_nan() {
        return 0.5;
    }
    // Beyond ±12, Φ is within 10⁻³² of 0 or 1 (and a simulation's numbers never get there:
    // its normal numbers are within ±8.3, their weighted sums within ±11.8).
    let z = z.clamp(-12.0, 12.0);
    let q = z * z;
    let mut sum = z;
    let mut term = z;
    let mut i = 1.0;
    for _ in 0..2_000 {
        i += 2.0;
        term = term * q / i;
        let next = sum + term;
        if next == sum {
            break;
        }
        sum = next;
    }
    // φ(z) = e^(−z²/2) / √(2π); ln √(2π) = 0.918938533204672741780…
    let density = exp_non_positive(-0.5 * q - 0.918_938_533_204_672_8);
    (0.5 + sum * density).clamp(0.0, 1.0)
}

/// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (relative error below 1.15 × 10⁻⁹).
pub(crate) fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| ((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5];
    let tail_den = |q: f64| (((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0;
    if p < LOW {
        let q = (-2.0 * ln_positive(p)).sqrt();
        tail(q) / tail_den(q)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * ln_positive(1.0 - p)).sqrt();
        -tail(q) / tail_den(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_and_ln_agree_with_the_library_to_a_few_units_in_the_last_place() {
        for i in 0..1_890 {
            let x = -(i as f64) * 0.37;
            let (ours, lib) = (exp_non_positive(x), x.exp());
            assert!(
                (ours - lib).abs() <= lib * 1e-15,
                "exp({x}): {ours} vs {lib}"
            );
        }
        for i in 1..2_000 {
            let x = i as f64 * 0.013_7 + 1e-9 * i as f64;
            let (ours, lib) = (ln_positive(x), x.ln());
            assert!((ours - lib).abs() <= 4e-16 * lib.abs().max(1.0), "ln({x})");
        }
        let tiny = 1.0 / (1u64 << 54) as f64;
        assert!((ln_positive(tiny) - tiny.ln()).abs() < 1e-14);
    }

    #[test]
    fn phi_and_its_inverse() {
        // Φ at known points (to 15 significant digits).
        for (z, p) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_543),
            (-1.0, 0.158_655_253_931_457),
            (-2.0, 0.022_750_131_948_179_2),
            (1.96, 0.975_002_104_851_78),
            (-3.0, 0.001_349_898_031_630_09),
        ] {
            assert!(
                (normal_cdf(z) - p).abs() < 2e-15,
                "Φ({z}) = {}",
                normal_cdf(z)
            );
        }
        assert!((normal_cdf(-5.0) - 2.866_515_718_791_94e-7).abs() < 1e-15);
        assert_eq!(normal_cdf(40.0), 1.0);
        assert!(normal_cdf(-40.0) < 1e-30);
        // Φ⁻¹ undoes Φ to within Acklam's accuracy (1.15 × 10⁻⁹ of x, so a relative error in p of
        // at most about x² times that), in the middle and in both tails.
        for i in 1..10_000 {
            let p = i as f64 / 10_000.0;
            let back = normal_cdf(normal_quantile(p));
            assert!((back - p).abs() < 3e-8 * p.min(1.0 - p), "p = {p}: {back}");
        }
        for p in [1e-16, 1e-10, 1e-5, 1.0 - 1e-10] {
            let back = normal_cdf(normal_quantile(p));
            // (Near 1, Φ is 1 less a small number: good to about 10⁻¹⁶ absolutely.)
            let tolerance = (1e-7 * p.min(1.0 - p)).max(1e-15);
            assert!((back - p).abs() < tolerance, "p = {p}: {back}");
        }
        assert!(normal_quantile(open_unit(0)).is_finite());
        assert!(normal_quantile(open_unit(u64::MAX)).is_finite());
    }

    #[test]
    fn correlated_shares_are_uniform_and_move_together() {
        // ρ = 0.5: each line's share is still uniform (its deciles hold a tenth each), and two
        // lines' shares are positively related; ρ = 1: the same share.
        let runs = 20_000;
        let mut factor = SharedFactor::new(7, 5_000).unwrap();
        let mut rng = Rng::new(7);
        let mut deciles = [0u32; 10];
        let mut together = 0;
        for _ in 0..runs {
            let run = factor.next_run();
            let (a, b) = (run.share(rng.next_u64()), run.share(rng.next_u64()));
            deciles[((a * 10.0) as usize).min(9)] += 1;
            if (a < 0.5) == (b < 0.5) {
                together += 1;
            }
        }
        for n in deciles {
            assert!((1_850..=2_150).contains(&n), "{deciles:?}");
        }
        // P(both on the same side of the median) = ½ + arcsin(ρ)/π = 2/3 for ρ = ½.
        assert!((12_900..=13_800).contains(&together), "{together}");
        let mut all = SharedFactor::new(7, 10_000).unwrap();
        let run = all.next_run();
        assert_eq!(run.share(1), run.share(u64::MAX));
        assert!(SharedFactor::new(7, 0).is_none());
    }
}

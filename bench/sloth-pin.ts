/** The sloth release scripts/oracles.sh builds and bench/sloth-comparison.ts compares the library's SLO rules with. */
export const SLOTH_VERSION = '0.16.0';

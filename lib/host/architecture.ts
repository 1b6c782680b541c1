/** CPU architecture of the monitoring host, as `uname -m` prints it on Amazon Linux. */
export type Architecture = 'x86_64' | 'arm64';

/**
 * EC2 families built on AWS Graviton (or the first-generation A1), all arm64. A family's generation digit
 * and attribute letters follow the family letters: `m7g`, `c6gn`, `r8gd`, `x2gd`, `im4gn`, `is4gen`, `hpc7g`.
 */
const GRAVITON_FAMILY = /^(a1|[a-z]+[0-9]+g[a-z]*|is4gen|im4gn)$/;

/**
 * The architecture an instance type runs: Graviton families (t4g, m7g, c6gn, r8g, x2gd, a1, ...) are arm64,
 * everything else (t3, m5a, c7i, ...) x86_64. The host's AMI and every downloaded binary follow from it.
 */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split('.')[0].toLowerCase();
  return GRAVITON_FAMILY.test(family) ? 'arm64' : 'x86_64';
}

/** CPU architecture of an EC2 instance type, as AMIs and release artifacts name it. */
export type Architecture = 'x86_64' | 'arm64';

/**
 * Graviton families carry a `g` in the suffix after their generation digit (t4g, m7gd, c6gn, is4gen, r8g)
 * or are the first-generation `a1`. Every other family (including GPU `g5`, where `g` is the prefix) is x86_64.
 */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split('.')[0];
  if (family === 'a1') return 'arm64';
  const match = /^[a-z]+[0-9]+([a-z-]*)$/.exec(family);
  return match && match[1].includes('g') ? 'arm64' : 'x86_64';
}

import { linearText, TerraformOutput, TerraformStack, TerraformVariable, Testing } from '../../lib/framework';
import { escapeTerraformTemplate } from '../../lib/terraform-text';

/** The synthesized outputs of a stack whose output `text` is built by `wrap` from a text holding a token. */
function synthOutputs(wrap: (text: string) => string, build: (token: string) => string): unknown {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'stack');
  const address = new TerraformVariable(stack, 'address', { type: 'string' });
  new TerraformOutput(stack, 'text', { value: wrap(build(address.stringValue)) });
  return JSON.parse(Testing.synth(stack)).output;
}

describe('linearText', () => {
  it('GIVEN an escaped text with a token, braces and literal ${ THEN it synthesizes exactly as the plain string', () => {
    const build = (token: string) =>
      escapeTerraformTemplate(`groups:\n- expr: rate(x{job="a"}[5m])\n  url: http://${token}:3000/d/x?var=\${__value.raw}\n  shell: echo "\${HOME}" %{x}\n`);
    const plain = synthOutputs((t) => t, build);
    expect(synthOutputs(linearText, build)).toEqual(plain);
    expect(JSON.stringify(plain)).toContain('http://${var.address}:3000');
    expect(JSON.stringify(plain)).toContain('$${__value.raw}');
  });

  it('GIVEN a long text with a token every few lines THEN every token resolves', () => {
    const build = (token: string) => Array.from({ length: 2000 }, (_, i) => `- x{service="s${i}"} ${i % 10 === 0 ? token : ''}`).join('\n');
    const text = (synthOutputs(linearText, build) as { text: { value: string } }).text.value;
    expect(text.split('${var.address}').length - 1).toBe(200);
    expect(text).not.toContain('TfToken');
  });

  it('GIVEN a text without a token THEN it is returned as it is', () => {
    expect(linearText('a{b}')).toBe('a{b}');
  });
});

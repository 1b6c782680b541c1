import { PromQLValidationError, promqlProblems, promqlShape, validatePromQL } from '../../lib/promql/validate';
import { ruleFiles, validateRuleFiles } from '../../lib/prometheus/rule-files';
import { CONTEXT, DEFAULT_CONFIG } from '../prometheus/promtool-harness';
import { compilePlatform } from '../../lib/model/compile';

describe('PromQL validation at synth', () => {
  it('GIVEN valid expressions THEN there are no problems', () => {
    expect(promqlProblems('sum by (service, environment) (rate(http_requests_total{status=~"5.."}[5m])) > 0.1')).toEqual([]);
    expect(promqlProblems('up{job="node"} == 0 or absent(up{job="node",instance="h"})')).toEqual([]);
  });

  it('GIVEN a valid expression longer than the editor parses at once THEN the type checker sees the whole tree (no spurious errors)', () => {
    // creating the editor state parses at most 3000 characters within 20 ms; a load spike cuts short ones too
    const long = Array.from({ length: 60 }, (_, i) => `sum by (service) (rate(http_requests_total{job="app",service="svc-${i}"}[5m]))`).join(' or ');
    expect(long.length).toBeGreaterThan(3000);
    expect(promqlProblems(long)).toEqual([]);
    expect(promqlProblems(`${long} or rate(http_requests_total)`).join()).toMatch(/expected type matrix/);
  });

  it('GIVEN trailing garbage THEN the lezer grammar reports it (the type checker alone misses it)', () => {
    expect(promqlProblems('sum(up) by (job) bogus').join()).toMatch(/syntax error/);
  });

  it('GIVEN a type error THEN the codemirror-promql checker reports it', () => {
    expect(promqlProblems('rate(http_requests_total)').join()).toMatch(/expected type matrix/);
  });

  it('GIVEN an unclosed range THEN it is rejected', () => {
    expect(promqlProblems('1 - avg_over_time(probe_success[5m)')).not.toEqual([]);
  });

  it('GIVEN a bad expression THEN validatePromQL throws naming the rule', () => {
    expect(() => validatePromQL('rate(x) +', 'alert Foo')).toThrow(PromQLValidationError);
    expect(() => validatePromQL('rate(x) +', 'alert Foo')).toThrow(/invalid PromQL in alert Foo/);
  });

  it('GIVEN the rendered default rules THEN every expression passes', () => {
    expect(() => ruleFiles(compilePlatform(DEFAULT_CONFIG), CONTEXT)).not.toThrow();
  });

  it('GIVEN a rule file with one broken rule THEN validation names file, group and rule', () => {
    const files = ruleFiles(compilePlatform(DEFAULT_CONFIG), CONTEXT);
    const host = files.find((f) => f.name === 'host.yml')!;
    const broken = {
      ...host,
      groups: [{ ...host.groups[0], rules: [...host.groups[0].rules, { alert: 'Broken', expr: 'sum(rate(up))', labels: {}, annotations: {} }] }],
    };
    const position = host.groups[0].rules.length + 1;
    expect(() => validateRuleFiles([broken])).toThrow(new RegExp(`/etc/prometheus/rules/host\\.yml, group host, rule #${position} \\(alert Broken\\)`));
  });
});

describe('validatePromQL remembers valid shapes', () => {
  it('GIVEN string literals THEN the shape replaces the non-empty plain ones only', () => {
    expect(promqlShape('rate(x{service="api",le=~"0\\\\.5"}[5m])')).toBe('rate(x{service="s",le=~"s"}[5m])');
    // an empty matcher value decides validity ({job=""} alone selects nothing), so it is kept
    expect(promqlShape('{job=""} or x{job="a"}')).toBe('{job=""} or x{job="s"}');
    // other escapes, single-quoted and backtick strings, and comments are never shortened
    expect(promqlShape('x{a="\\n", b="c"}')).toBe('x{a="\\n", b="c"}');
    expect(promqlShape('x{a="b"} or y{c="d}')).toBe('x{a="b"} or y{c="d}');
    expect(promqlShape(`x{a='b', c="d"}`)).toBe(`x{a='b', c="d"}`);
    expect(promqlShape('x{a="b"} # "c"')).toBe('x{a="b"} # "c"');
  });

  it('GIVEN an expression of a shape already found valid THEN a broken one of another shape is still rejected', () => {
    validatePromQL('sum by (service) (rate(http_requests_total{service="svc-1"}[5m]))', 'first');
    validatePromQL('sum by (service) (rate(http_requests_total{service="svc-2"}[5m]))', 'same shape');
    expect(() => validatePromQL('sum by (service) (rate(http_requests_total{service="svc-3"}))', 'broken')).toThrow(PromQLValidationError);
    expect(() => validatePromQL('sum by (service) (rate(http_requests_total{service="svc-3"}[5m])) bogus', 'garbage')).toThrow(/syntax error/);
  });
});

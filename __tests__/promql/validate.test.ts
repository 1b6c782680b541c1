import { PromQLValidationError, promqlProblems, validatePromQL } from '../../lib/promql/validate';
import { ruleFiles, validateRuleFiles } from '../../lib/prometheus/rule-files';
import { CONTEXT, DEFAULT_CONFIG } from '../prometheus/promtool-harness';

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
    expect(() => ruleFiles(DEFAULT_CONFIG, CONTEXT)).not.toThrow();
  });

  it('GIVEN a rule file with one broken rule THEN validation names file, group and rule', () => {
    const files = ruleFiles(DEFAULT_CONFIG, CONTEXT);
    const host = files.find((f) => f.name === 'host.yml')!;
    const broken = { ...host, groups: [{ ...host.groups[0], rules: [...host.groups[0].rules, { alert: 'Broken', expr: 'sum(rate(up))', labels: {}, annotations: {} }] }] };
    expect(() => validateRuleFiles([broken])).toThrow(/\/etc\/prometheus\/rules\/host\.yml, group host, rule #6 \(alert Broken\)/);
  });
});

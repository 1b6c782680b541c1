/**
 * The Slack message template (Alertmanager / Go text/template syntax), installed as
 * `/etc/alertmanager/templates/slack.tmpl` and referenced by every Slack receiver.
 *
 * One notification = one alert group. Routing groups by alertname, service, environment and severity, so every
 * alert of a group shares its runbook; the group is listed compactly (at most {@link SLACK_MAX_FIRING_LINES}
 * firing and {@link SLACK_MAX_RESOLVED_LINES} resolved lines, every field truncated) so that the attachment text
 * stays under Slack's 3000-character section limit whatever the group size.
 *
 * Functions used exist in Alertmanager 0.25: Go builtins (`len`, `or`, `index`, `urlquery`, `eq`, `lt`, `gt`)
 * and Alertmanager's `toUpper`, `reReplaceAll`.
 */
export const SLACK_MAX_FIRING_LINES = 8;
export const SLACK_MAX_RESOLVED_LINES = 4;

/** Names of the template definitions the Slack receivers call. */
export const SLACK_TEMPLATES = {
  title: 'lgtm.slack.title',
  titleLink: 'lgtm.slack.titlelink',
  text: 'lgtm.slack.text',
  color: 'lgtm.slack.color',
  fallback: 'lgtm.slack.fallback',
  runbookUrl: 'lgtm.slack.runbook_url',
  dashboardUrl: 'lgtm.slack.dashboard_url',
  silenceUrl: 'lgtm.slack.silence_url',
} as const;

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters (`&`, `<`, `>`) and cuts the result to
 * `max` characters (RE2 repeat counts stop at 1000), so label or annotation text can neither break the
 * message's links nor its size.
 */
const cut = (expression: string, max: number) =>
  `(${expression} | reReplaceAll "&" "&amp;" | reReplaceAll "<" "&lt;" | reReplaceAll ">" "&gt;" | reReplaceAll "(?s)^(.{${max}}).+$" "\${1}…")`;

/**
 * A label value as Slack text: escaped and cut like any other field. Labels of pushed telemetry are chosen by
 * whoever pushes, so `service="<!channel>"` must not ping a channel nor `<https://…|…>` plant a link.
 */
const label = (expression: string) => cut(expression, 100);

/** Host or probe target of an alert: its `instance` label, else `target`, else `job`. */
const TARGET = (alert: '' | '$alert') => `(or ${alert}.Labels.instance ${alert}.Labels.target ${alert}.Labels.job "—")`;
/** Current value: the `value` annotation, else a `value` label (empty when neither exists). */
const VALUE = '(or .Annotations.value .Labels.value)';

const TEMPLATE =
  String.raw`{{/*
  Slack notifications of the LGTM platform. Rendered by the platform's code generator; edit
  lib/alerting/slack-template.ts, not this file on the host.
*/}}

{{ define "lgtm.slack.color" -}}
{{ if eq .Status "firing" }}{{ if eq .CommonLabels.severity "critical" }}danger{{ else }}warning{{ end }}{{ else }}good{{ end }}
{{- end }}

{{ define "lgtm.slack.title" -}}
{{ if eq .Status "firing" }}:rotating_light: FIRING{{ else }}:white_check_mark: RESOLVED{{ end }}
{{- with .CommonLabels.severity }} [{{ toUpper . }}]{{ end }}
{{- with .CommonLabels.alertname }} {{ . }}{{ end }}
{{- with .CommonLabels.service }} · {{ ${label('.')} }}{{ end }}
{{- with .CommonLabels.environment }}/{{ ${label('.')} }}{{ end }}
{{- if gt (len .Alerts) 1 }} ({{ len .Alerts.Firing }} firing{{ with .Alerts.Resolved }}, {{ len . }} resolved{{ end }}){{ end }}
{{- end }}

{{ define "lgtm.slack.fallback" -}}
{{ template "lgtm.slack.title" . }} {{ template "lgtm.slack.runbook_url" . }}
{{- end }}

{{/* The first runbook_url found (common to the group, as the group shares its alertname). */}}
{{ define "lgtm.slack.runbook_url" -}}
{{ $url := .CommonAnnotations.runbook_url -}}
{{ if not $url }}{{ range .Alerts }}{{ if not $url }}{{ $url = .Annotations.runbook_url }}{{ end }}{{ end }}{{ end -}}
{{ if $url }}{{ $url }}{{ else }}{{ .ExternalURL }}{{ end }}
{{- end }}

{{ define "lgtm.slack.dashboard_url" -}}
{{ $url := .CommonAnnotations.dashboard_url -}}
{{ if not $url }}{{ range .Alerts }}{{ if not $url }}{{ $url = .Annotations.dashboard_url }}{{ end }}{{ end }}{{ end -}}
{{ if $url }}{{ $url }}{{ else }}{{ .ExternalURL }}{{ end }}
{{- end }}

{{/* A new silence in Alertmanager's UI, pre-filled with the group's labels. */}}
{{ define "lgtm.slack.silence_url" -}}
{{ .ExternalURL }}/#/silences/new?filter=%7B
{{- range $i, $pair := .GroupLabels.SortedPairs }}{{ if $i }}%2C{{ end }}{{ $pair.Name }}%3D%22{{ urlquery $pair.Value }}%22{{ end -}}
%7D
{{- end }}

{{ define "lgtm.slack.titlelink" }}{{ template "lgtm.slack.dashboard_url" . }}{{ end }}

{{/* One alert, in full: used when the group holds a single alert. */}}
{{ define "lgtm.slack.alert.full" -}}
*Alert:* ` +
  '`{{ .Labels.alertname }}`' +
  String.raw`   *Severity:* {{ or .Labels.severity "none" }}
{{- if or .Labels.service .Labels.environment }}
*Service:* {{ ${label('(or .Labels.service "—")')} }} / {{ ${label('(or .Labels.environment "—")')} }}{{ end }}
*Host/target:* ` +
  '`' +
  `{{ ${cut(TARGET(''), 200)} }}` +
  '`' +
  String.raw`
{{- with .Labels.slo }}   *SLO:* {{ ${label('.')} }}{{ end }}
{{- $value := ${VALUE} }}{{ if $value }}
*Value:* {{ ${cut('$value', 100)} }}{{ end }}
{{- with .Annotations.summary }}
*Summary:* {{ ${cut('.', 300)} }}{{ end }}
{{- with .Annotations.description }}
*Description:* {{ ${cut('.', 1000)} }}{{ end }}
*Since:* {{ .StartsAt.UTC.Format "2006-01-02 15:04:05 UTC" }}{{ if eq .Status "resolved" }}   *Resolved:* {{ .EndsAt.UTC.Format "2006-01-02 15:04:05 UTC" }}{{ end }}
{{- end }}

{{/* One alert on one line: used for groups. */}}
{{ define "lgtm.slack.alert.line" -}}
• ` +
  '`' +
  `{{ ${cut(TARGET(''), 60)} }}` +
  '`' +
  String.raw`
{{- $value := ${VALUE} }}{{ if $value }} = *{{ ${cut('$value', 40)} }}*{{ end }}
{{- with .Annotations.summary }} — {{ ${cut('.', 110)} }}{{ end }}
{{- end }}

{{ define "lgtm.slack.text" -}}
{{ if eq (len .Alerts) 1 -}}
{{ range .Alerts }}{{ template "lgtm.slack.alert.full" . }}{{ end }}
{{- else -}}
*Severity:* {{ or .CommonLabels.severity "mixed" }}
{{- if or .CommonLabels.service .CommonLabels.environment }}   *Service:* {{ ${label('(or .CommonLabels.service "—")')} }} / {{ ${label('(or .CommonLabels.environment "—")')} }}{{ end }}
{{- with .CommonAnnotations.description }}
{{ ${cut('.', 400)} }}{{ end }}
{{- with .Alerts.Firing }}
*Firing ({{ len . }}):*
{{- range $i, $alert := . }}{{ if lt $i ${SLACK_MAX_FIRING_LINES} }}
{{ template "lgtm.slack.alert.line" $alert }}{{ end }}{{ end }}
{{- if gt (len .) ${SLACK_MAX_FIRING_LINES} }}
_…and {{ len . }} firing in total; the first ${SLACK_MAX_FIRING_LINES} are shown, all are in Alertmanager._{{ end }}
{{- end }}
{{- with .Alerts.Resolved }}
*Resolved ({{ len . }}):*
{{- range $i, $alert := . }}{{ if lt $i ${SLACK_MAX_RESOLVED_LINES} }}
• ` +
  '`' +
  `{{ ${cut(TARGET('$alert'), 60)} }}` +
  '`' +
  String.raw`{{ end }}{{ end }}
{{- if gt (len .) ${SLACK_MAX_RESOLVED_LINES} }}
_…and more: {{ len . }} resolved in total._{{ end }}
{{- end }}
{{- end }}
<{{ template "lgtm.slack.runbook_url" . }}|:book: Runbook> · <{{ template "lgtm.slack.dashboard_url" . }}|:bar_chart: Dashboard> · <{{ template "lgtm.slack.silence_url" . }}|:no_bell: Silence>
{{- end }}
`;

/** The content of `/etc/alertmanager/templates/slack.tmpl`. */
export function renderSlackTemplate(): string {
  return TEMPLATE;
}

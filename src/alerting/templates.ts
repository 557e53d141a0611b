/**
 * vigil's notification templates on top of Alertmanager's defaults: the title links to vigil's Alerts page
 * instead of Alertmanager's UI, and Slack's default text lists the alerts with their summary and description
 * (Alertmanager's default text is empty), and emails get a plain-text part beside the HTML one
 * (`email.vigil.text`, used when `text` is not configured). A user's `templates` files are parsed after these and may redefine
 * any of them.
 */
import { escapeMrkdwn } from '../notify/index.ts';
import { alertmanagerFuncs, defaultTemplateText, TemplateSet } from '../template/index.ts';

const definitions = `
{{- define "slack.default.titlelink" }}{{ .ExternalURL }}/alerts?receiver={{ .Receiver | urlquery }}{{ end }}
{{- define "__alertmanagerURL" }}{{ .ExternalURL }}/alerts?receiver={{ .Receiver | urlquery }}{{ end }}
{{- define "slack.default.text" }}
{{- range .Alerts -}}
{{ if eq .Status "firing" }}:red_circle:{{ else }}:large_green_circle:{{ end }} *{{ mrkdwn .Labels.alertname }}*
{{- with .Labels.instance }} on {{ mrkdwn . }}{{ end }}
{{- with .Annotations.summary }}: {{ mrkdwn . }}{{ end }}
{{ with .Annotations.description }}{{ mrkdwn . }}
{{ end }}
{{- end }}
{{- end }}
{{- define "email.vigil.text" }}{{ template "__subject" . }}
{{ range .Alerts }}
[{{ .Status | toUpper }}] {{ .Labels.alertname }}
{{ range .Labels.SortedPairs }}  {{ .Name }} = {{ .Value }}
{{ end }}{{ with .Annotations.summary }}Summary: {{ . }}
{{ end }}{{ with .Annotations.description }}Description: {{ . }}
{{ end }}{{ with .GeneratorURL }}Source: {{ . }}
{{ end }}{{ end }}
View in vigil: {{ template "__alertmanagerURL" . }}
{{ end }}`;

/**
 * Alertmanager's functions plus `mrkdwn` (escapes `&`, `<`, `>` for Slack), Alertmanager's default templates,
 * then vigil's definitions.
 */
export function vigilTemplates(): TemplateSet {
  return new TemplateSet({ ...alertmanagerFuncs, mrkdwn: (s: unknown) => escapeMrkdwn(String(s ?? '')) })
    .parse('default.tmpl', defaultTemplateText)
    .parse('vigil-defaults', definitions);
}

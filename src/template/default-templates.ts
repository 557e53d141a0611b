/**
 * vigil's default notification templates: the template names Alertmanager 0.25 ships in default.tmpl and
 * email.tmpl, written for vigil. The subject, Slack, PagerDuty, Opsgenie, VictorOps, WeChat, Pushover, SNS,
 * Telegram, Discord and Webex texts render to the same strings as Alertmanager's; `email.default.html` is vigil's
 * own simple HTML page.
 */
import { alertmanagerFuncs } from './funcs-alertmanager.ts';
import { TemplateSet } from './template-set.ts';

/** The shared pieces: names, links, the title line and the plain-text alert list. */
const common = `
{{- define "__alertmanager" }}Alertmanager{{ end }}
{{- define "__alertmanagerURL" }}{{ .ExternalURL }}/#/alerts?receiver={{ urlquery .Receiver }}{{ end }}
{{- define "__subject" -}}
  [{{ toUpper .Status }}{{ if eq .Status "firing" }}:{{ len .Alerts.Firing }}{{ end }}]
  {{- " " }}{{ join " " .GroupLabels.SortedPairs.Values }}{{ " " }}
  {{- if gt (len .CommonLabels) (len .GroupLabels) -}}
    ({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ join " " .Values }}{{ end }})
  {{- end }}
{{- end }}
{{- define "__description" }}{{ end }}
{{- define "__text_alert_list" -}}
  {{ range $alert := . -}}
    {{ "Labels:\\n" }}
    {{- range $alert.Labels.SortedPairs }}{{ printf " - %s = %s\\n" .Name .Value }}{{ end -}}
    {{ "Annotations:\\n" }}
    {{- range $alert.Annotations.SortedPairs }}{{ printf " - %s = %s\\n" .Name .Value }}{{ end -}}
    {{ printf "Source: %s\\n" $alert.GeneratorURL }}
  {{- end }}
{{- end }}
{{- define "__vigil_alert_sections_tight" -}}
  {{ with .Alerts.Firing }}Alerts Firing:{{ "\\n" }}{{ template "__text_alert_list" . }}{{ end -}}
  {{ "\\n" -}}
  {{ with .Alerts.Resolved }}Alerts Resolved:{{ "\\n" }}{{ template "__text_alert_list" . }}{{ end -}}
{{- end }}
{{- define "__vigil_alert_sections_loose" -}}
  {{ "\\n" }}
  {{- with .Alerts.Firing }}{{ "\\nAlerts Firing:\\n" }}{{ template "__text_alert_list" . }}{{ "\\n" }}{{ end -}}
  {{ "\\n" }}
  {{- with .Alerts.Resolved }}{{ "\\nAlerts Resolved:\\n" }}{{ template "__text_alert_list" . }}{{ "\\n" }}{{ end -}}
  {{ "\\n" -}}
{{- end }}
{{- define "__vigil_annotation_values" }}{{ join " " .CommonAnnotations.SortedPairs.Values }}{{ end }}
`;

/** One line per receiver kind: which shared piece each default name renders. */
const integrations = `
{{- define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{- define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{- define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
{{- define "slack.default.callbackid" }}{{ end }}
{{- define "slack.default.pretext" }}{{ end }}
{{- define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{- define "slack.default.iconemoji" }}{{ end }}
{{- define "slack.default.iconurl" }}{{ end }}
{{- define "slack.default.text" }}{{ end }}
{{- define "slack.default.footer" }}{{ end }}

{{- define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}
{{- define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}
{{- define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{- define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}

{{- define "opsgenie.default.message" }}{{ template "__subject" . }}{{ end }}
{{- define "opsgenie.default.description" }}{{ template "__vigil_annotation_values" . }}{{ "\\n" }}{{ template "__vigil_alert_sections_tight" . }}{{ end }}
{{- define "opsgenie.default.source" }}{{ template "__alertmanagerURL" . }}{{ end }}

{{- define "wechat.default.message" -}}
  {{ template "__subject" . }}{{ "\\n" }}{{ template "__vigil_annotation_values" . }}{{ "\\n" }}
  {{- template "__vigil_alert_sections_tight" . }}{{ "\\nAlertmanagerUrl:\\n" }}{{ template "__alertmanagerURL" . }}
{{- end }}
{{- define "wechat.default.to_user" }}{{ end }}
{{- define "wechat.default.to_party" }}{{ end }}
{{- define "wechat.default.to_tag" }}{{ end }}
{{- define "wechat.default.agent_id" }}{{ end }}

{{- define "victorops.default.state_message" }}{{ template "__vigil_annotation_values" . }}{{ "\\n" }}{{ template "__vigil_alert_sections_tight" . }}{{ end }}
{{- define "victorops.default.entity_display_name" }}{{ template "__subject" . }}{{ end }}
{{- define "victorops.default.monitoring_tool" }}{{ template "__alertmanager" . }}{{ end }}

{{- define "pushover.default.title" }}{{ template "__subject" . }}{{ end }}
{{- define "pushover.default.message" }}{{ template "__vigil_annotation_values" . }}{{ template "__vigil_alert_sections_loose" . }}{{ end }}
{{- define "pushover.default.url" }}{{ template "__alertmanagerURL" . }}{{ end }}

{{- define "sns.default.subject" }}{{ template "__subject" . }}{{ end }}
{{- define "sns.default.message" }}{{ template "__vigil_annotation_values" . }}{{ template "__vigil_alert_sections_loose" . }}{{ end }}

{{- define "telegram.default.message" }}{{ template "__vigil_alert_sections_loose" . }}{{ end }}

{{- define "discord.default.title" }}{{ template "__subject" . }}{{ end }}
{{- define "discord.default.message" }}{{ template "__vigil_alert_sections_loose" . }}{{ end }}

{{- define "webex.default.message" }}{{ template "__vigil_annotation_values" . }}{{ template "__vigil_alert_sections_loose" . }}{{ end }}

{{- define "email.default.subject" }}{{ template "__subject" . }}{{ end }}
`;

/** vigil's e-mail body: a plain, inline-styled HTML page listing the firing and resolved alerts. Values are HTML-escaped. */
const email = `
{{- define "__vigil_email_alert" -}}
<tr><td style="padding:8px 12px;border-top:1px solid #e5e5e5">
{{- range .Labels.SortedPairs }}<b>{{ html .Name }}</b>={{ html .Value }} {{ end }}<br>
{{- range .Annotations.SortedPairs }}{{ html .Name }}: {{ html .Value }}<br>{{ end -}}
{{ if .GeneratorURL }}<a href="{{ html .GeneratorURL }}">Source</a>{{ end -}}
</td></tr>
{{ end }}
{{- define "email.default.html" -}}
<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>{{ html (join " " .GroupLabels.SortedPairs.Values) }}</title></head>
<body style="font-family:sans-serif;margin:0;padding:16px;background:#f6f6f6">
<table style="max-width:640px;margin:auto;background:#fff;border-collapse:collapse;width:100%">
<tr><td style="padding:12px;color:#fff;background:{{ if eq .Status "firing" }}#d9534f{{ else }}#5cb85c{{ end }}">
{{- len .Alerts.Firing }} firing, {{ len .Alerts.Resolved }} resolved for {{ html (join " " .GroupLabels.SortedPairs.Values) }}</td></tr>
{{ with .Alerts.Firing }}<tr><td style="padding:8px 12px"><b>Firing</b></td></tr>
{{ range . }}{{ template "__vigil_email_alert" . }}{{ end }}{{ end -}}
{{ with .Alerts.Resolved }}<tr><td style="padding:8px 12px"><b>Resolved</b></td></tr>
{{ range . }}{{ template "__vigil_email_alert" . }}{{ end }}{{ end -}}
<tr><td style="padding:12px;font-size:12px"><a href="{{ html .ExternalURL }}">Sent by vigil ({{ template "__alertmanager" . }})</a></td></tr>
</table>
</body></html>
{{ end }}
`;

/** The text of vigil's default notification templates: Alertmanager 0.25's names plus vigil's `__vigil_*` helpers. */
export const defaultTemplateText: string = common + integrations + email;

let defaults: TemplateSet | undefined;

/**
 * A TemplateSet with alertmanagerFuncs and the default notification templates (parsed once, then cloned: each
 * call returns a set of its own). Callers parse user template files into it; a user `{{define}}` of a default name
 * replaces the default in that set only.
 */
export function alertmanagerTemplates(): TemplateSet {
  defaults ??= new TemplateSet(alertmanagerFuncs).parse('default.tmpl', defaultTemplateText);
  return defaults.clone();
}

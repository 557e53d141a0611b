/**
 * The Alerts page's few extra styles, adopted by the document on first mount: the page's chunk is loaded lazily
 * and the build links only the shell's stylesheet. Colours come from ui/style.css's variables (dark mode too).
 */
const css = `
:root { --warn: #a15c00; }
@media (prefers-color-scheme: dark) { :root { --warn: #fbbf24; } }
.badge.firing, .badge.active, .badge.err, .badge.dead { color: var(--bad); }
.badge.pending, .badge.failed { color: var(--warn); }
.badge.ok, .badge.sent { color: var(--good); }
.badge.suppressed, .badge.silenced, .badge.inhibited, .badge.expired, .badge.inactive { color: var(--muted); }
.badge.silence-active { color: var(--accent); }
.alerts-page h2 .muted { font-weight: 400; font-size: 0.9rem; }
.alerts-page td.actions { white-space: nowrap; text-align: right; }
.alerts-page td.actions button { padding: 0.1rem 0.5rem; }
.alerts-page tr.suppressed > td { opacity: 0.75; }
.alerts-page .desc { color: var(--muted); }
.alerts-page .rule-errors { list-style: none; padding: 0; }
.alerts-page details > summary { cursor: pointer; margin: 0.5rem 0; }
.silence-form { display: grid; gap: 0.6rem; max-width: 56rem; }
.silence-form fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 0; padding: 0.5rem 0.75rem; }
.silence-form legend { font-weight: 600; padding: 0 0.25rem; }
.silence-form .matcher { display: flex; flex-wrap: wrap; gap: 0.35rem; margin-bottom: 0.35rem; }
.silence-form .matcher input { flex: 1 1 10rem; min-width: 0; }
.silence-form textarea { font: inherit; color: inherit; background: var(--card); border: 1px solid var(--line);
  border-radius: 6px; padding: 0.3rem 0.6rem; width: 100%; min-height: 3.5rem; }
.silence-form label { margin-right: 0.75rem; }
.alerts-page [hidden] { display: none; }
`;

let adopted = false;

/** Adds the styles to the document once. */
export function adoptAlertsStyle(): void {
  if (adopted) return;
  adopted = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

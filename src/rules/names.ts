/** Metric and label names a rule may produce: Prometheus' legacy character sets. */

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidMetricName(name: string): boolean {
  return metricName.test(name);
}

export function isValidLabelName(name: string): boolean {
  return labelName.test(name);
}

/** Whether `s` is valid UTF-8 text (no lone surrogates), as Prometheus requires of label values. */
export function isValidLabelValue(s: string): boolean {
  return !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
}

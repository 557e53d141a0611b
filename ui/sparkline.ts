/** A small inline SVG line of recent values (oldest first), scaled to its own minimum and maximum. */
const svgNs = 'http://www.w3.org/2000/svg';

export function sparkline(values: readonly number[], label: string, width = 80, height = 18): SVGSVGElement {
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  if (values.length < 2) return svg;
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const dx = width / (values.length - 1);
  const points = values.map(
    (v, i) => `${(i * dx).toFixed(1)},${(height - 1 - ((v - min) / span) * (height - 2)).toFixed(1)}`,
  );
  const line = document.createElementNS(svgNs, 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('stroke-width', '1.2');
  svg.append(line);
  return svg;
}

/**
 * Hand-written SVG charts rendered on the server: no script, no chart library. Each chart is a
 * <figure> with an SVG that has a <title> and <desc> (role="img"), and the same numbers as a
 * table in a <details> for screen readers, keyboard users and anyone who wants the figures.
 * Colours come from presentation attributes (the CSP forbids inline styles).
 */
import type { ComponentChildren } from 'preact';

export interface Point {
  label: string;
  value: number | null;
  href?: string;
}

const W = 640;
const H = 220;
const PAD = { top: 16, right: 16, bottom: 36, left: 56 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function DataTable(props: { caption: string; unit: string; points: Point[]; format: (v: number) => string }) {
  return (
    <details class="chart-data">
      <summary>Show the data for “{props.caption}”</summary>
      <table>
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.unit}</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {props.points.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td>
                {p.value === null ? (
                  '—'
                ) : p.href ? (
                  <a href={p.href}>{props.format(p.value)}</a>
                ) : (
                  props.format(p.value)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Figure(props: { id: string; title: string; children: ComponentChildren }) {
  return (
    <figure class="chart" id={props.id} aria-labelledby={`${props.id}-cap`}>
      <figcaption id={`${props.id}-cap`}>{props.title}</figcaption>
      {props.children}
    </figure>
  );
}

function summarise(points: Point[], format: (v: number) => string): string {
  const vals = points.filter((p) => p.value !== null) as Array<Point & { value: number }>;
  if (vals.length === 0) return 'No data in this period.';
  const max = vals.reduce((a, b) => (b.value > a.value ? b : a));
  const min = vals.reduce((a, b) => (b.value < a.value ? b : a));
  return `${vals.length} values; highest ${format(max.value)} (${max.label}), lowest ${format(min.value)} (${min.label}).`;
}

/** A time series: one line over labelled x positions (days). */
export function LineChart(props: {
  id: string;
  title: string;
  points: Point[];
  format?: (v: number) => string;
  unit?: string;
}) {
  const format = props.format ?? ((v: number) => String(Math.round(v)));
  const pts = props.points;
  const max = niceMax(Math.max(0, ...pts.map((p) => p.value ?? 0)));
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (pts.length <= 1 ? iw / 2 : (i * iw) / (pts.length - 1));
  const y = (v: number) => PAD.top + ih - (v / max) * ih;
  const segments: string[] = [];
  let current = '';
  pts.forEach((p, i) => {
    if (p.value === null) {
      if (current) segments.push(current);
      current = '';
    } else current += `${current ? ' L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const step = Math.max(1, Math.ceil(pts.length / 8));
  return (
    <Figure id={props.id} title={props.title}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${props.id}-t ${props.id}-d`}
        class="chart-svg"
      >
        <title id={`${props.id}-t`}>{props.title}</title>
        <desc id={`${props.id}-d`}>{summarise(pts, format)}</desc>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} stroke="#d0d7de" />
            <text x={PAD.left - 6} y={y(max * f) + 4} text-anchor="end" font-size="11" fill="#57606a">
              {format(max * f)}
            </text>
          </g>
        ))}
        {segments.map((d) => (
          <path key={d} d={d} fill="none" stroke="#0b5cad" stroke-width="2" />
        ))}
        {pts.map((p, i) =>
          p.value === null ? null : (
            <circle key={p.label} cx={x(i)} cy={y(p.value)} r="3" fill="#0b5cad">
              <title>{`${p.label}: ${format(p.value)}`}</title>
            </circle>
          ),
        )}
        {pts.map((p, i) =>
          i % step === 0 ? (
            <text key={p.label} x={x(i)} y={H - 14} text-anchor="middle" font-size="11" fill="#57606a">
              {p.label.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <DataTable caption={props.title} unit={props.unit ?? 'Day'} points={pts} format={format} />
    </Figure>
  );
}

/** Horizontal bars: breakdowns and distributions (drill-down links are in the data table). */
export function BarChart(props: {
  id: string;
  title: string;
  points: Point[];
  format?: (v: number) => string;
  unit?: string;
}) {
  const format = props.format ?? ((v: number) => String(Math.round(v)));
  const pts = props.points;
  const rowH = 24;
  const h = Math.max(1, pts.length) * rowH + 8;
  const labelW = 150;
  const max = Math.max(0, ...pts.map((p) => p.value ?? 0)) || 1;
  const bw = (v: number) => ((W - labelW - 90) * v) / max;
  return (
    <Figure id={props.id} title={props.title}>
      <svg
        viewBox={`0 0 ${W} ${h}`}
        role="img"
        aria-labelledby={`${props.id}-t ${props.id}-d`}
        class="chart-svg"
      >
        <title id={`${props.id}-t`}>{props.title}</title>
        <desc id={`${props.id}-d`}>{summarise(pts, format)}</desc>
        {pts.map((p, i) => {
          const yy = 4 + i * rowH;
          return (
            <g key={p.label}>
              <text x={labelW - 8} y={yy + rowH / 2 + 4} text-anchor="end" font-size="12" fill="#1b1f24">
                {p.label.length > 22 ? `${p.label.slice(0, 21)}…` : p.label}
              </text>
              <rect
                x={labelW}
                y={yy + 3}
                width={Math.max(1, bw(p.value ?? 0))}
                height={rowH - 8}
                fill="#0b5cad"
                rx="2"
              />
              <text x={labelW + bw(p.value ?? 0) + 6} y={yy + rowH / 2 + 4} font-size="12" fill="#1b1f24">
                {p.value === null ? '—' : format(p.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <DataTable caption={props.title} unit={props.unit ?? 'Group'} points={pts} format={format} />
    </Figure>
  );
}

/**
 * The stylesheet inlined into report.html (the file must work offline, so nothing is linked).
 * System fonts only; colours are custom properties so the dark scheme only swaps the palette.
 * Colour never carries meaning alone: every coloured label also says its name.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa;
  --ok: #1a7f37; --ok-bg: #dafbe1; --warn: #9a6700; --warn-bg: #fff8c5; --bad: #cf222e; --bad-bg: #ffebe9;
  --info: #0969da; --info-bg: #ddf4ff; --neutral-bg: #eaeef2;
  --t-v1: #0969da; --t-gateway: #bc4c00; --t-direct: #8250df; --t-v2-floor: #1a7f37;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --border: #3d444d; --panel: #151b23;
    --ok: #3fb950; --ok-bg: #12261e; --warn: #d29922; --warn-bg: #272115; --bad: #f85149; --bad-bg: #2d1214;
    --info: #4493f8; --info-bg: #121d2f; --neutral-bg: #212830;
    --t-v1: #4493f8; --t-gateway: #f0883e; --t-direct: #ab7df8; --t-v2-floor: #3fb950;
  }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; color: var(--fg); background: var(--bg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main, header, footer, nav { max-width: 72rem; margin: 0 auto; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.1rem; margin: 0 0 .5rem; }
h4 { font-size: .95rem; margin: 1rem 0 .4rem; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: var(--info); }
.muted { color: var(--muted); }
.badge.zero { background: var(--neutral-bg); color: var(--muted); }
.fix-first { border: 1px solid var(--border); border-left: 4px solid var(--bad); background: var(--panel); padding: .25rem 1rem .5rem; margin: .75rem 0; }
.fix-first h2 { margin: .5rem 0; border: 0; font-size: 1.1rem; }
.fix-first ol { margin: 0; padding-left: 1.25rem; }
.fix-first li { margin: .2rem 0; }
details.settled ul { list-style: none; padding-left: .5rem; }
.headline { display: flex; flex-wrap: wrap; align-items: baseline; gap: .75rem; }
.score { font-size: 2rem; font-weight: 700; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-size: .85rem; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; }
.verdict-ready, .outcome-identical { color: var(--ok); background: var(--ok-bg); }
.verdict-ready-via-gateway, .outcome-equivalent { color: var(--info); background: var(--info-bg); }
.verdict-blocked, .outcome-different, .outcome-error { color: var(--bad); background: var(--bad-bg); }
.verdict-removed, .verdict-untested { color: var(--muted); background: var(--neutral-bg); }
.label-explained { color: var(--info); background: var(--info-bg); }
.label-noise { color: var(--muted); background: var(--neutral-bg); }
.label-unexplained { color: var(--bad); background: var(--bad-bg); }
.partial-warning { border: 2px solid var(--warn); background: var(--warn-bg); color: var(--fg); padding: .75rem 1rem; border-radius: .5rem; }
.error-box { border-left: 4px solid var(--bad); background: var(--bad-bg); padding: .5rem .75rem; border-radius: .25rem; }
.run-facts, .summary-facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
.run-facts dt, .summary-facts dt { font-weight: 600; }
.run-facts dd, .summary-facts dd { margin: 0; }
nav ul { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--border); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--panel); }
td code, th code { overflow-wrap: break-word; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
.differences td.value { width: 28%; }
.differences tr.row-unexplained th { border-left: 4px solid var(--bad); }
.differences tr.row-explained th { border-left: 4px solid var(--info); }
.differences tr.row-noise th { border-left: 4px solid var(--border); }
.scenario { border: 1px solid var(--border); border-radius: .5rem; padding: 1rem; margin: 1rem 0; }
.scenario-meta { color: var(--muted); margin: 0 0 .5rem; }
.over-threshold { color: var(--bad); font-weight: 600; }
.chart { display: block; max-width: 100%; height: auto; margin: .5rem 0; }
.chart text { fill: currentColor; font: 11px system-ui, sans-serif; }
.chart .grid { stroke: var(--border); stroke-width: 1; }
.chart .baseline { stroke: var(--muted); stroke-width: 1; }
.chart .threshold { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 5 3; }
.chart .dot { fill-opacity: .45; }
.chart .median { stroke: var(--fg); stroke-width: 2; }
.chart .within-threshold .bar { fill: var(--info); }
.chart .over-threshold .bar { fill: var(--bad); }
.t-v1 .bar, .t-v1 .dot, .swatch.t-v1 { fill: var(--t-v1); background: var(--t-v1); }
.t-gateway .bar, .t-gateway .dot, .swatch.t-gateway { fill: var(--t-gateway); background: var(--t-gateway); }
.t-direct .bar, .t-direct .dot, .swatch.t-direct { fill: var(--t-direct); background: var(--t-direct); }
.t-v2-floor .bar, .t-v2-floor .dot, .swatch.t-v2-floor { fill: var(--t-v2-floor); background: var(--t-v2-floor); }
.legend { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; margin: .25rem 0; font-size: .9rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: .15rem; margin-right: .35rem; vertical-align: -.05rem; }
.formula { background: var(--panel); border: 1px solid var(--border); border-radius: .5rem; padding: 1rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media print { body { padding: 0; } .scenario { break-inside: avoid; } }
`;

# ruff: noqa: E501  (HTML template text, not Python lines)
"""The Jinja2 template of the HTML report (kept in a module so it ships with the package)."""

TEMPLATE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>xsfabric audit — {{ doc.snapshot.path }}</title>
<style>
:root { --crit:#7f1d1d; --high:#c2410c; --med:#a16207; --low:#0e7490; --info:#6b7280;
        --line:#d6dbe3; --bg:#f6f7f9; --ink:#1f2933; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       margin: 0; background: var(--bg); }
header { background: #1f2d3d; color: #fff; padding: 14px 24px; }
header h1 { margin: 0; font-size: 20px; }
header .facts { opacity: .85; font-size: 13px; overflow-wrap: anywhere; }
main { padding: 16px 24px 40px; max-width: 1500px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px;
          margin: 0 0 16px; }
h2 { font-size: 16px; margin: 0 0 10px; }
.cards { display: flex; gap: 10px; flex-wrap: wrap; }
.card { border-radius: 6px; padding: 8px 14px; min-width: 100px; color: #fff; }
.card b { display: block; font-size: 22px; }
.sev-critical { background: var(--crit); } .sev-high { background: var(--high); }
.sev-medium { background: var(--med); } .sev-low { background: var(--low); }
.sev-info { background: var(--info); }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; color: #fff; font-size: 12px;
         font-weight: 600; text-transform: uppercase; }
.badge.new { background: #7c3aed; } .badge.note { background: #92400e; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line);
         padding: 5px 8px; overflow-wrap: break-word; word-break: break-word; }
th { background: #eef1f5; position: sticky; top: 0; white-space: nowrap; }
td.subject { min-width: 200px; max-width: 360px; }
#findings-table { table-layout: fixed; }
#findings-table th:nth-child(1) { width: 90px; } #findings-table th:nth-child(2) { width: 250px; }
#findings-table th:nth-child(3) { width: 290px; }
.card.zero { opacity: .35; }
.filters { display: flex; gap: 10px; flex-wrap: wrap; align-items: end; margin-bottom: 10px; }
.filters label { font-size: 12px; display: flex; flex-direction: column; gap: 2px; }
.filters select, .filters input { font: inherit; padding: 3px 6px; min-width: 140px; }
#count { margin-left: auto; font-weight: 600; }
details > summary { cursor: pointer; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; font-size: 12px;
      background: #f3f4f6; padding: 6px; border-radius: 4px; max-height: 240px; overflow: auto; }
.subject { font-family: ui-monospace, monospace; font-size: 12px; }
.muted { color: #6b7280; }
.status-automated { color: #166534; font-weight: 600; } .status-partly { color: #a16207; }
.status-manual { color: #1d4ed8; } .status-not-yet { color: #991b1b; }
td[class^="status-"] { white-space: nowrap; }
tr.hidden { display: none; }
.map-legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; margin: 6px 0; }
.map-legend i { display: inline-block; width: 22px; height: 4px; vertical-align: middle; margin-right: 4px; }
.map-legend i.flag { height: 8px; background: #999; border-top: 3px solid #b91c1c; border-bottom: 3px solid #b91c1c; }
.map-info { font-family: ui-monospace, monospace; font-size: 12px; background: #f3f4f6; padding: 4px 8px;
            border-radius: 4px; min-height: 1.6em; overflow-wrap: anywhere; }
.map-pool { margin: 8px 0; border-top: 1px solid var(--line); padding-top: 6px; }
.map-pages { margin: 6px 0; display: flex; gap: 6px; flex-wrap: wrap; }
.map-pages button { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid var(--line);
                    background: #fff; border-radius: 4px; cursor: pointer; }
.map-pages button.current { background: #1f2d3d; color: #fff; }
.map-page.hidden { display: none; }
svg.cabling-map { width: 100%; height: auto; display: block; font-family: system-ui, sans-serif; }
svg.cabling-map .box { fill: #f8fafc; stroke: #94a3b8; }
svg.cabling-map .box-title { font-size: 12px; font-weight: 700; fill: #1f2933; }
svg.cabling-map .label { font-size: 11px; fill: #1f2933; }
svg.cabling-map .detail { font-size: 10px; fill: #6b7280; font-family: ui-monospace, monospace; }
svg.cabling-map .pair { fill: none; stroke: #64748b; stroke-dasharray: 5 3; }
svg.cabling-map .pair-label { font-size: 11px; fill: #475569; font-style: italic; }
svg.cabling-map .unplaced { font-size: 11px; fill: #991b1b; font-weight: 600; }
svg.cabling-map .port-flag { font-size: 11px; fill: #dc2626; font-weight: 700; }
svg.cabling-map .dot { stroke: #fff; stroke-width: 1; }
svg.cabling-map path.link { fill: none; stroke-width: 2.2; opacity: .9; cursor: pointer; }
svg.cabling-map path.halo { fill: none; stroke: #b91c1c; stroke-width: 8; opacity: .9; }
svg.cabling-map path.link.flagged { stroke-width: 3.4; opacity: 1; }
svg.cabling-map path.link.moved { stroke-dasharray: 7 4; }
svg.cabling-map path.link:hover, svg.cabling-map path.link.selected { stroke-width: 4.5; opacity: 1; }
@media print {
  .filters, .noprint { display: none; } tr.hidden { display: table-row; }
  .map-page.hidden { display: block; } .map-pool { break-inside: avoid-page; }
  body { background: #fff; } section { break-inside: avoid-page; border: none; }
  header { background: #fff; color: #000; border-bottom: 2px solid #000; }
}
</style>
</head>
<body>
<header>
  <h1>xsfabric audit</h1>
  <div class="facts">
    snapshot <b>{{ doc.snapshot.path }}</b>
    · collected {{ doc.snapshot.started_at or "—" }}{% if doc.snapshot.finished_at %} – {{ doc.snapshot.finished_at }}{% endif %}
    · by {{ doc.snapshot.command or "—" }} · policy {{ doc.policy or "none" }}
    · xsfabric {{ doc.tool.version }}
  </div>
</header>
<main>
<section id="facts">
  <h2>Snapshot</h2>
  {% if doc.snapshot.devices %}
  <table id="devices"><thead><tr><th>device</th><th>kind</th><th>platform</th><th>read by</th><th>status</th><th>collected</th></tr></thead><tbody>
  {% for d in doc.snapshot.devices %}
  <tr class="status-{{ d.status }}"><td>{{ d.name }}</td><td>{{ d.kind }}</td><td>{{ d.platform or "" }}</td>
      <td>{{ (d.methods or []) | join(", ") or ("xapi" if d.kind == "xenserver-pool" else "") }}</td>
      <td>{{ d.status }}{% if d.error %}: {{ d.error }}{% endif %}</td><td>{{ d.collected_at or "" }}</td></tr>
  {% endfor %}</tbody></table>
  {% endif %}
  {% if doc.complete %}
  <p>Every device was collected.</p>
  {% else %}
  <p><b>Incomplete:</b> the audit covers only what was collected.</p>
  <table><thead><tr><th>device</th><th>kind</th><th>status</th><th>error</th></tr></thead><tbody>
  {% for d in doc.incomplete_devices %}
  <tr><td>{{ d.name }}</td><td>{{ d.kind }}</td><td>{{ d.status }}</td><td>{{ d.error or "" }}</td></tr>
  {% endfor %}</tbody></table>
  {% endif %}
  {% for w in doc.warnings %}<p class="muted">warning: {{ w }}</p>{% endfor %}
  {% if doc.filters.categories or doc.filters.min_severity %}
  <p class="muted">Filters: categories {{ (doc.filters.categories or ["all"]) | join(", ") }},
     minimum severity {{ doc.filters.min_severity or "none" }}
     ({{ doc.summary.findings_before_filters }} findings before filters).</p>
  {% endif %}
  {% if doc.waivers %}<p class="muted">Waivers: {{ doc.waivers }}</p>{% endif %}
</section>

<section id="summary">
  <h2>Summary</h2>
  <div class="cards">
  {% for sev, n in doc.summary.by_severity.items() | reverse %}
    <div class="card sev-{{ sev }}{% if not n %} zero{% endif %}" data-severity="{{ sev }}"><b>{{ n }}</b>{{ sev }}</div>
  {% endfor %}
  </div>
  <p>{{ doc.summary.findings }} finding(s){% if doc.summary.get("suppressed") %}, {{ doc.summary.suppressed }} suppressed by waivers{% endif %},
     {{ doc.summary.not_checked }} not checked, {{ doc.summary.rules_run }} rules run.
  {% for cat, n in doc.summary.by_category.items() if n %}{% if loop.first %}By category: {% endif %}{{ cat }} {{ n }}{% if not loop.last %}, {% endif %}{% endfor %}</p>
  {% if doc.baseline %}
  <p id="baseline">Compared with <b>{{ doc.baseline.reference }}</b>
     ({{ doc.baseline.snapshot.started_at or "—" }}): <b>{{ doc.baseline.new | length }} new</b>,
     {{ doc.baseline.fixed | length }} fixed, {{ doc.baseline.unchanged | length }} unchanged{% if doc.baseline.changes is defined and doc.baseline.changes %};
     <a href="#changes">estate changes</a>{% endif %}.</p>
  {% endif %}
</section>

{% if by_rule %}
<section id="by-rule">
  {# open when rules repeat over many subjects (64 hosts), folded when each rule fires once or twice #}
  <details{% if findings | length > 2 * by_rule | length %} open{% endif %}>
  <summary><h2 style="display:inline">Findings by rule ({{ by_rule | length }} rules)</h2></summary>
  <table><thead><tr><th>severity</th><th>rule</th><th>title</th><th>findings</th><th>hosts / switches</th></tr></thead><tbody>
  {% for r in by_rule %}
  <tr><td><span class="badge sev-{{ r.severity }}">{{ r.severity }}</span></td>
      <td><a href="#findings" class="show-rule" data-rule="{{ r.rule_id }}">{{ r.rule_id }}</a></td>
      <td>{{ r.title }}</td><td>{{ r.count }}</td><td>{{ r.hosts or "— (pool-wide)" }}</td></tr>
  {% endfor %}</tbody></table>
  </details>
</section>
{% endif %}

<section id="findings">
  <h2>Findings</h2>
  <div class="filters noprint">
    {% for name, values in filters %}
    <label>{{ name }}
      <select id="filter-{{ name }}" data-filter="{{ name }}">
        <option value="">all</option>
        {% for v in values %}<option value="{{ v }}">{{ v }}</option>{% endfor %}
      </select></label>
    {% endfor %}
    <label>search <input id="search" type="search" placeholder="rule, subject, text…"></label>
    <span id="count"></span>
  </div>
  <table id="findings-table">
    <thead><tr><th>severity</th><th>rule</th><th>subject</th><th>finding</th></tr></thead>
    <tbody>
    {% for f in findings %}
    <tr class="finding" data-severity="{{ f.severity }}" data-category="{{ f.category }}"
        data-pool="{{ f.pool }}" data-host="{{ f.host }}" data-device="{{ f.device }}"
        data-rule="{{ f.rule_id }}"
        data-fingerprint="{{ f.fingerprint }}">
      <td><span class="badge sev-{{ f.severity }}">{{ f.severity }}</span>
          {% if f.is_new %}<span class="badge new">new</span>{% endif %}</td>
      <td><b>{{ f.rule_id }}</b><br><span class="muted">{{ f.category }} · {{ f.guide or "beyond the guide" }}</span></td>
      <td class="subject">{% for key, part in f.subject.items() %}{{ key }}={{ part.name }}<br>{% endfor %}</td>
      <td><b>{{ f.title }}</b><br>{{ f.message }}
        {% if f.note %}<br><span class="badge note">note</span> {{ f.note }}{% endif %}
        <details><summary>evidence and fix</summary>
          {% if f.evidence %}<pre>{{ f.evidence_text }}</pre>{% endif %}
          <p><b>Fix:</b> {{ f.remediation }}</p>
          <p class="muted">fingerprint {{ f.fingerprint }}</p>
        </details></td>
    </tr>
    {% else %}
    <tr><td colspan="4">No findings at the selected severity and categories.</td></tr>
    {% endfor %}
    </tbody>
  </table>
</section>

{% if cmap %}
<section id="cabling">
  <h2>Cabling map</h2>
  <p class="muted">One line per placed host NIC, from the host (left) to the switch port it is cabled to
     (right); a line's colour is the NIC's traffic role (the first, when it has several); a line edged
     in dark red is a NIC a finding names (⚑ on the NIC counts them); ⚑ on a port counts the findings
     on that switch port. Hover or click a
     line for the NIC and its port. NICs that could not be placed have no line: they are marked on their
     host and listed under the map with the reason.</p>
  <div class="map-legend">
    {% for role, colour in cmap.roles %}<span><i style="background: {{ colour }}"></i>{{ role }}</span>{% endfor %}
    <span><i class="flag"></i>NIC with findings</span>
    {% if doc.baseline %}<span><i style="background: repeating-linear-gradient(90deg, #475569 0 7px, transparent 7px 11px)"></i>moved since the reference</span>{% endif %}
  </div>
  <p id="map-info" class="map-info noprint">Click a line to see the NIC and its port.</p>
  {% for pool in cmap.pools %}
  <details class="map-pool" open data-pool="{{ pool.name }}">
    <summary><b>pool {{ pool.name }}</b> — {{ pool.hosts }} host(s), {{ pool.nics }} NICs:
      {{ pool.placed }} placed, {{ pool.not_placed | length }} not placed, {{ pool.flagged }} with findings</summary>
    {% if pool.pages | length > 1 %}
    <div class="map-pages noprint">hosts
      {% for page in pool.pages %}<button type="button" class="map-page-btn{% if loop.first %} current{% endif %}" data-page="{{ loop.index0 }}">{{ page.first }} – {{ page.last }}</button>{% endfor %}
    </div>
    {% endif %}
    {% for page in pool.pages %}
    <div class="map-page{% if not loop.first %} hidden{% endif %}" data-page="{{ loop.index0 }}">
    <svg class="cabling-map" viewBox="0 0 {{ cmap.width }} {{ page.height | round(0, 'ceil') | int }}"
         style="max-width: {{ cmap.width }}px" role="img"
         aria-label="cabling of pool {{ pool.name }}, hosts {{ page.first }} to {{ page.last }}">
      {% for fr in page.frames %}
      <rect class="pair" x="{{ cmap.switch_x - 6 }}" y="{{ fr.y }}" width="{{ cmap.switch_w + 12 }}" height="{{ fr.height }}" rx="6"/>
      <text class="pair-label" x="{{ cmap.switch_x }}" y="{{ fr.y + 15 }}"><title>{{ fr.full }}</title>{{ fr.label }}</text>
      {% endfor %}
      {% for h in page.hosts %}
      <g class="host"><title>{{ h.full }}</title>
        <rect class="box" x="{{ cmap.host_x }}" y="{{ h.y }}" width="{{ cmap.host_w }}" height="{{ h.height }}" rx="4"/>
        <text class="box-title" x="{{ cmap.host_x + 8 }}" y="{{ h.y + 15 }}">{{ h.name }}</text>
        {% for n in h.nics %}
        <g class="nic{% if not n.placed %} nic-unplaced{% endif %}"><title>{{ n.title }}</title>
          <text class="label" x="{{ cmap.host_x + 14 }}" y="{{ n.y + 4 }}">{{ n.label }}</text>
          <text class="detail" x="{{ cmap.host_x + 84 }}" y="{{ n.y + 4 }}">{{ n.detail }}</text>
          {% if n.findings %}<text class="port-flag" x="{{ cmap.host_x + cmap.host_w - 10 }}" y="{{ n.y + 4 }}" text-anchor="end">⚑ {{ n.findings }}</text>{% endif %}
          {% if n.placed %}<circle class="dot" cx="{{ cmap.host_x + cmap.host_w }}" cy="{{ n.y }}" r="3.5" fill="#475569"/>
          {% else %}<text class="unplaced" x="{{ cmap.host_x + cmap.host_w + 8 }}" y="{{ n.y + 4 }}">✕ {{ n.status }}</text>{% endif %}
        </g>
        {% endfor %}
      </g>
      {% endfor %}
      {% for sw in page.switches %}
      <g class="switch"><title>{{ sw.full }}</title>
        <rect class="box" x="{{ cmap.switch_x }}" y="{{ sw.y }}" width="{{ cmap.switch_w }}" height="{{ sw.height }}" rx="4"/>
        <text class="box-title" x="{{ cmap.switch_x + 8 }}" y="{{ sw.y + 15 }}">{{ sw.name }}</text>
        {% for p in sw.ports %}
        <g class="port"><title>{{ p.title }}</title>
          <circle class="dot" cx="{{ cmap.switch_x }}" cy="{{ p.y }}" r="3.5" fill="#475569"/>
          <text class="label" x="{{ cmap.switch_x + 12 }}" y="{{ p.y + 4 }}">{{ p.label }}</text>
          {% if p.findings %}<text class="port-flag" x="{{ cmap.switch_x + cmap.switch_w - 8 }}" y="{{ p.y + 4 }}" text-anchor="end">⚑ {{ p.findings }}</text>{% endif %}
        </g>
        {% endfor %}
      </g>
      {% endfor %}
      {% for l in page.links if l.flagged %}<path class="halo" d="{{ l.d }}"/>{% endfor %}
      {% for l in page.links %}
      <path class="link{% if l.flagged %} flagged{% endif %}{% if l.moved %} moved{% endif %}" d="{{ l.d }}" stroke="{{ l.colour }}"
            data-role="{{ l.role }}" data-nic="{{ l.nic }}" data-port="{{ l.port }}"><title>{{ l.title }}</title></path>
      {% endfor %}
    </svg>
    </div>
    {% endfor %}
    {% if pool.not_placed %}
    <table class="not-placed"><thead><tr><th>host</th><th>NIC</th><th>MAC</th><th>status</th><th>why</th></tr></thead><tbody>
    {% for n in pool.not_placed %}
    <tr><td>{{ n.host }}</td><td>{{ n.pif }}</td><td>{{ n.mac }}</td><td>{{ n.status }}</td><td>{{ n.reason }}</td></tr>
    {% endfor %}</tbody></table>
    {% endif %}
  </details>
  {% endfor %}
</section>
{% endif %}

{% if doc.baseline and doc.baseline.fixed %}
<section id="fixed">
  <h2>Fixed since the reference ({{ doc.baseline.fixed | length }})</h2>
  <table><thead><tr><th>severity</th><th>rule</th><th>subject</th><th>was</th></tr></thead><tbody>
  {% for f in doc.baseline.fixed %}
  <tr><td>{{ f.severity }}</td><td>{{ f.rule_id }}</td>
      <td class="subject">{% for key, part in f.subject.items() %}{{ key }}={{ part.name }}<br>{% endfor %}</td>
      <td>{{ f.message }}</td></tr>
  {% endfor %}</tbody></table>
</section>
{% endif %}

{% if doc.baseline and doc.baseline.changes is defined and doc.baseline.changes %}
{% set ch = doc.baseline.changes %}
<section id="changes">
  <h2>Estate changes since the reference</h2>
  {% set moved = ch.get("nics_moved") or [] %}{% set vlans = ch.get("vlans_changed") or [] %}{% set zones = ch.get("zones_changed") or [] %}
  {% set maps = ch.get("lun_maps") or {} %}
  {% if not (moved or vlans or zones or maps.get("added") or maps.get("removed")) %}<p>No NIC moved, no host-port VLAN, zone or LUN map changed.</p>{% endif %}
  {% if moved %}
  <h3>NICs moved ({{ moved | length }})</h3>
  <table id="nics-moved"><thead><tr><th>pool</th><th>host</th><th>NIC</th><th>MAC</th><th>was</th><th>now</th></tr></thead><tbody>
  {% for m in moved %}<tr><td>{{ m.pool }}</td><td>{{ m.host }}</td><td>{{ m.pif }}</td><td>{{ m.mac }}</td>
    <td>{% if m.old.switch %}{{ m.old.switch }} {{ m.old.port }}{% else %}({{ m.old.status }}){% endif %}</td>
    <td>{% if m.new.switch %}{{ m.new.switch }} {{ m.new.port }}{% else %}({{ m.new.status }}){% endif %}</td></tr>{% endfor %}
  </tbody></table>
  {% endif %}
  {% if vlans %}
  <h3>VLANs changed on host ports ({{ vlans | length }})</h3>
  <table id="vlans-changed"><thead><tr><th>switch</th><th>port</th><th>host NIC</th><th>was</th><th>now</th><th>VLANs added</th><th>VLANs removed</th></tr></thead><tbody>
  {% for v in vlans %}<tr><td>{{ v.switch }}</td><td>{{ v.port }}</td><td>{{ v.host }} {{ v.pif }}</td>
    <td>{{ v.old.mode }}{% if v.old.access_vlan is not none %} access {{ v.old.access_vlan }}{% endif %}{% if v.old.native_vlan is not none %} native {{ v.old.native_vlan }}{% endif %}{% if v.old.allowed_vlans is not none %} allowed {{ v.old.allowed_vlans | join(",") }}{% endif %}</td>
    <td>{{ v.new.mode }}{% if v.new.access_vlan is not none %} access {{ v.new.access_vlan }}{% endif %}{% if v.new.native_vlan is not none %} native {{ v.new.native_vlan }}{% endif %}{% if v.new.allowed_vlans is not none %} allowed {{ v.new.allowed_vlans | join(",") }}{% endif %}</td>
    <td>{{ (v.vlans_added or []) | join(", ") }}</td><td>{{ (v.vlans_removed or []) | join(", ") }}</td></tr>{% endfor %}
  </tbody></table>
  {% endif %}
  {% if zones %}
  <h3>Zoning ({{ zones | length }} zone(s))</h3>
  <table id="zones-changed"><thead><tr><th>fabric</th><th>zone</th><th>change</th><th>members added</th><th>members removed</th></tr></thead><tbody>
  {% for z in zones %}<tr><td>{{ z.fabric }}</td><td>{{ z.zone }}</td><td>{{ z.zone_change }}{% if z.state_before != z.state_after %} ({{ z.state_before or "absent" }} → {{ z.state_after or "absent" }}){% endif %}</td>
    <td>{{ z.members_added | join(", ") }}</td><td>{{ z.members_removed | join(", ") }}</td></tr>{% endfor %}
  </tbody></table>
  {% endif %}
  {% if maps.get("added") or maps.get("removed") %}
  <h3>LUN masking</h3>
  <table id="maps-changed"><thead><tr><th>change</th><th>array</th><th>volume</th><th>LUN</th><th>igroup</th><th>initiator</th><th>host</th></tr></thead><tbody>
  {% for key in ["added", "removed"] %}{% for m in maps.get(key) or [] %}<tr><td>{{ key }}</td><td>{{ m.array }}</td><td>{{ m.volume }}</td><td>{{ m.lun_id }}</td>
    <td>{{ m.igroup }}</td><td>{{ m.initiator }}</td><td>{{ m.host or "" }}</td></tr>{% endfor %}{% endfor %}
  </tbody></table>
  {% endif %}
  {% for kind, why in (ch.get("not_compared") or {}).items() %}<p class="muted">{{ kind }} not compared: {{ why }}</p>{% endfor %}
</section>
{% endif %}

{% if doc.suppressed or doc.stale_waivers %}
<section id="suppressed">
  <h2>Suppressed by waivers ({{ (doc.suppressed or []) | length }})</h2>
  {% if doc.suppressed %}
  <table><thead><tr><th>severity</th><th>rule</th><th>subject</th><th>waiver</th></tr></thead><tbody>
  {% for f in doc.suppressed %}
  <tr><td>{{ f.severity }}</td><td>{{ f.rule_id }}</td>
      <td class="subject">{% for key, part in f.subject.items() %}{{ key }}={{ part.name }}<br>{% endfor %}</td>
      <td>until {{ f.waiver.expires }} · {{ f.waiver.owner }} · {{ f.waiver.justification }}
          <span class="muted">({{ f.waiver.file }}:{{ f.waiver.line }})</span></td></tr>
  {% endfor %}</tbody></table>
  {% endif %}
  {% for w in doc.stale_waivers or [] %}
  <p class="muted">stale waiver {{ w.file }}:{{ w.line }} ({{ w.rule }}, {{ w.owner }}) matches no finding.</p>
  {% endfor %}
</section>
{% endif %}

<section id="coverage">
  <h2>Guide coverage</h2>
  <table><thead><tr><th>guide</th><th>status</th><th>recommendation</th><th>rules</th><th>waiting for</th></tr></thead><tbody>
  {% for c in coverage %}
  <tr><td>{{ c.id }}</td><td class="status-{{ c.status | replace(' ', '-') }}">{{ c.status }}</td>
      <td>{{ c.title }}</td><td>{{ c.rules | join(", ") }}</td><td>{{ c.missing_data | join(", ") }}</td></tr>
  {% endfor %}</tbody></table>
</section>

<section id="not-checked">
  <h2>Not checked ({{ doc.not_checked | length }}) — not a pass</h2>
  {% if doc.not_checked %}
  <table><thead><tr><th>rule</th><th>subject</th><th>reason</th></tr></thead><tbody>
  {% for n in doc.not_checked %}
  <tr><td>{{ n.rule_id }}</td>
      <td class="subject">{% for key, part in n.subject.items() %}{{ key }}={{ part.name }}<br>{% else %}estate{% endfor %}</td>
      <td>{{ n.reason }}</td></tr>
  {% endfor %}</tbody></table>
  {% else %}<p>Every rule could decide.</p>{% endif %}
</section>

<section id="attestations">
  <h2>Manual attestation ({{ doc.attestations | length }})</h2>
  {% for a in doc.attestations %}
  <div class="attestation">
    <label><input type="checkbox" class="attest" data-id="{{ a.id }}">
      <b>{{ a.guide | join(", ") }} {{ a.title }}</b></label>
    <p>{{ a.instruction }}</p>
    {% if a["items"] %}<ul>
    {% for item in a["items"] %}
      {% if item.sr is defined %}<li>{{ item.pool }}: SR {{ item.sr }} ({{ item.type }}) → {{ (item.targets or ["local/no network target"]) | join(", ") }}</li>
      {% elif item.hosts is defined %}<li>{{ item.pool }}: {{ item.hosts | join(", ") }}</li>
      {% else %}<li>{{ item | tojson }}</li>{% endif %}
    {% endfor %}</ul>{% endif %}
  </div>
  {% endfor %}
  <p class="muted">Attested by: ____________________ date: __________</p>
</section>
</main>
<script>
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#findings-table tr.finding"));
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var search = document.getElementById("search");
  var count = document.getElementById("count");
  function apply() {
    var needle = search.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = selects.every(function (s) {
        return !s.value || row.getAttribute("data-" + s.getAttribute("data-filter")) === s.value;
      });
      if (ok && needle) { ok = row.textContent.toLowerCase().indexOf(needle) !== -1; }
      row.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " shown";
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  Array.prototype.slice.call(document.querySelectorAll("a.show-rule")).forEach(function (a) {
    a.addEventListener("click", function () {
      var rule = document.getElementById("filter-rule");
      if (rule) { rule.value = a.getAttribute("data-rule"); apply(); }
    });
  });
  search.addEventListener("input", apply);
  apply();
  var info = document.getElementById("map-info");
  Array.prototype.slice.call(document.querySelectorAll("svg.cabling-map path.link")).forEach(function (p) {
    p.addEventListener("click", function () {
      Array.prototype.slice.call(document.querySelectorAll("path.link.selected")).forEach(function (q) {
        q.classList.remove("selected");
      });
      p.classList.add("selected");
      info.textContent = p.querySelector("title").textContent;
    });
  });
  Array.prototype.slice.call(document.querySelectorAll("details.map-pool")).forEach(function (pool) {
    var buttons = Array.prototype.slice.call(pool.querySelectorAll("button.map-page-btn"));
    var pages = Array.prototype.slice.call(pool.querySelectorAll("div.map-page"));
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        var n = b.getAttribute("data-page");
        pages.forEach(function (page) { page.classList.toggle("hidden", page.getAttribute("data-page") !== n); });
        buttons.forEach(function (c) { c.classList.toggle("current", c === b); });
      });
    });
  });
}());
</script>
</body>
</html>
"""

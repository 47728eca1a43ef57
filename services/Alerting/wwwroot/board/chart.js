// The patient chart: one patient's timeline over a chosen window, drawn as SVG by this file (no library), live from
// GET /api/v1/patients/{id}/chart/stream (Server-Sent Events: the whole chart at once, again on every change).
// Data is only ever written with textContent and SVG attributes, never parsed as HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const element = window.ToxicityBoard.svg;
  const readingText = window.ToxicityBoard.readingText;
  const query = new URLSearchParams(window.location.search);
  const patient = (query.get('patient') || '').trim();
  const ward = (query.get('ward') || '').trim();
  const windows = [6, 12, 24, 48, 72, 168];
  let hours = Number.parseInt(query.get('hours') || '72', 10);
  let stream = null;

  const width = 1180;
  const left = 118;
  const right = 24;
  const plot = width - left - right;
  // The lanes, top to bottom, with their heights.
  const lanes = [
    { id: 'temperature', label: 'Temperature °C', height: 96 },
    { id: 'pressure', label: 'BP mmHg', height: 96 },
    { id: 'spo2', label: 'SpO₂ %', height: 60 },
    { id: 'oxygen', label: 'Oxygen', height: 22 },
    { id: 'vasopressors', label: 'Vasopressors', height: 22 },
    { id: 'neuro', label: 'ICE (0-10)', height: 60 },
    { id: 'doses', label: 'Doses given', height: 40 },
    { id: 'crs', label: 'CRS grade', height: 26 },
    { id: 'icans', label: 'ICANS grade', height: 26 },
    { id: 'advice', label: 'Advice', height: 24 },
    { id: 'overdue', label: 'Overdue', height: 24 },
  ];
  const gap = 8;
  const axis = 28;

  const oxygenText = {
    none: 'room air',
    lowFlowNasalCannula: 'low-flow nasal cannula',
    highFlowNasalCannula: 'high-flow nasal cannula',
    facemask: 'facemask',
    nonRebreather: 'non-rebreather mask',
    venturi: 'Venturi mask',
    cpap: 'CPAP',
    bipap: 'BiPAP',
    mechanicalVentilation: 'mechanical ventilation',
  };
  const positivePressure = new Set(['cpap', 'bipap', 'mechanicalVentilation']);
  const consciousnessText = {
    awakensSpontaneously: 'awakens spontaneously', awakensToVoice: 'awakens to voice', awakensToTactile: 'awakens to tactile stimulus',
    unarousable: 'unarousable', stupor: 'stupor', coma: 'coma',
  };
  const reasonText = { stale: 'stale', notReported: 'not reported', unconfirmed: 'unconfirmed', neededNow: 'needed now' };
  const kindText = {
    bispecificDose: 'dose', premedication: 'premedication', tocilizumab: 'tocilizumab', corticosteroid: 'corticosteroid',
    antipyretic: 'antipyretic', infusionInterrupted: 'infusion interrupted', infusionRestarted: 'infusion restarted',
  };

  const timeFormat = new Intl.DateTimeFormat(undefined, { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });
  const hourFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const when = (iso) => timeFormat.format(new Date(iso));


  function setConnection(state, text) {
    const node = $('connection');
    node.className = `connection ${state}`;
    node.textContent = text;
  }

  // ---- drawing

  function draw(page) {
    const chart = page.chart;
    const from = Date.parse(chart.from);
    const to = Date.parse(chart.to);
    const x = (iso) => left + ((Date.parse(iso) - from) / (to - from)) * plot;
    const height = lanes.reduce((sum, lane) => sum + lane.height + gap, 0) + axis;
    const svg = element('svg', {
      id: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': `Timeline of patient ${page.patientId} over the last ${hours} hours`,
    });
    svg.append(patterns());

    let top = 0;
    const at = {};
    for (const lane of lanes) {
      at[lane.id] = { top, height: lane.height };
      svg.append(element('rect', { class: 'lane', x: left, y: top, width: plot, height: lane.height }));
      svg.append(element('text', { class: 'lane-label', x: left - 8, y: top + (lane.height / 2) + 4, 'text-anchor': 'end' }, lane.label));
      top += lane.height + gap;
    }

    grid(svg, from, to, top);
    temperature(svg, at.temperature, chart.vitals, x);
    pressure(svg, at.pressure, chart.vitals, x);
    saturation(svg, at.spo2, chart.vitals, x);
    support(svg, at.oxygen, at.vasopressors, chart.vitals, x, chart.to);
    neuro(svg, at.neuro, chart.neuro, x);
    doses(svg, at.doses, chart.treatments, x);
    bands(svg, at.crs, 'crs', chart.crs, x);
    bands(svg, at.icans, 'icans', chart.icans, x);
    advice(svg, at.advice, chart.advice, x);
    overdue(svg, at.overdue, chart.overdue, x, chart.to);

    const area = $('chart-area');
    area.textContent = '';
    area.append(svg);
    $('chart-window').textContent = `(last ${hours} h, ${when(chart.from)} to ${when(chart.to)})`;
    latest(chart);
    adviceList(chart.advice);
    table(chart.vitals);
  }

  function patterns() {
    const defs = element('defs');
    const hatch = element('pattern', { id: 'stale-hatch', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    hatch.append(element('rect', { width: 8, height: 8, fill: 'rgba(255,255,255,0)' }));
    hatch.append(element('line', { x1: 0, y1: 0, x2: 0, y2: 8, stroke: '#4a4a4a', 'stroke-width': 2 }));
    defs.append(hatch);
    return defs;
  }

  function grid(svg, from, to, bottom) {
    const span = to - from;
    const step = [1, 2, 3, 6, 12, 24].map((h) => h * 3600000).find((s) => span / s <= 14) || 86400000;
    for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
      const gx = left + ((t - from) / span) * plot;
      svg.append(element('line', { class: 'grid', x1: gx, y1: 0, x2: gx, y2: bottom - gap }));
      const date = new Date(t);
      const label = date.getHours() === 0 && date.getMinutes() === 0 ? timeFormat.format(date) : hourFormat.format(date);
      if (gx < left + plot - 48) { // clear of "now"
        svg.append(element('text', { class: 'axis', x: gx, y: bottom + 14, 'text-anchor': 'middle' }, label));
      }
    }

    svg.append(element('text', { class: 'axis now', x: left + plot, y: bottom + 14, 'text-anchor': 'end' }, 'now'));
  }

  // A value lane: y from the value's range, a threshold line where the handbook has one.
  function scale(lane, low, high) {
    return (value) => lane.top + lane.height - 6 - ((Math.min(Math.max(value, low), high) - low) / (high - low)) * (lane.height - 12);
  }

  function ticks(svg, lane, y, values, format) {
    for (const value of values) {
      svg.append(element('text', { class: 'tick', x: left + 4, y: y(value) + 4 }, format ? format(value) : String(value)));
    }
  }

  function line(svg, className, points) {
    if (points.length > 1) {
      svg.append(element('polyline', { class: className, points: points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ') }));
    }
  }

  function temperature(svg, lane, vitals, x) {
    const readings = vitals.filter((v) => v.temperatureC !== null && v.temperatureC !== undefined);
    const low = Math.min(35, ...readings.map((v) => Math.floor(v.temperatureC)));
    const high = Math.max(41, ...readings.map((v) => Math.ceil(v.temperatureC)));
    const y = scale(lane, low, high);
    // ASTCT's fever: 38.0 °C or above (CLINICAL-RULES.md R-CRS-1).
    svg.append(element('line', { class: 'threshold', x1: left, x2: left + plot, y1: y(38), y2: y(38) }));
    svg.append(element('text', { class: 'threshold-label', x: left + plot - 4, y: y(38) - 4, 'text-anchor': 'end' }, 'fever 38.0'));
    ticks(svg, lane, y, [low + 1, 38, high - 1]);
    line(svg, 'series temperature-line', readings.map((v) => [x(v.at), y(v.temperatureC)]));
    for (const v of readings) {
      const dot = element('circle', { class: `temperature${v.temperatureC >= 38 ? ' fever' : ''}`, cx: x(v.at), cy: y(v.temperatureC), r: 4 });
      dot.append(element('title', {}, `${when(v.at)}: ${v.temperatureC.toFixed(1)} °C`));
      svg.append(dot);
    }
  }

  function pressure(svg, lane, vitals, x) {
    const readings = vitals.filter((v) => v.systolicMmHg !== null && v.systolicMmHg !== undefined);
    const y = scale(lane, 40, 200);
    // Systolic below 90 mmHg: the hypotension of the ASTCT CRS grade (CLINICAL-RULES.md).
    svg.append(element('line', { class: 'threshold', x1: left, x2: left + plot, y1: y(90), y2: y(90) }));
    svg.append(element('text', { class: 'threshold-label', x: left + plot - 4, y: y(90) - 4, 'text-anchor': 'end' }, 'systolic 90'));
    ticks(svg, lane, y, [60, 90, 120, 160]);
    line(svg, 'series systolic-line', readings.map((v) => [x(v.at), y(v.systolicMmHg)]));
    for (const v of readings) {
      const px = x(v.at);
      const low = v.systolicMmHg < 90 || v.hypotensive === true;
      if (v.diastolicMmHg !== null && v.diastolicMmHg !== undefined) {
        svg.append(element('line', { class: 'pressure-range', x1: px, x2: px, y1: y(v.systolicMmHg), y2: y(v.diastolicMmHg) }));
        svg.append(element('path', { class: 'diastolic', d: `M${px - 4},${y(v.diastolicMmHg) - 3} h8 l-4,6 z` }));
      }

      const mark = element('path', { class: `systolic${low ? ' hypotensive' : ''}`, d: `M${px - 4},${y(v.systolicMmHg) + 3} h8 l-4,-6 z` });
      mark.append(element('title', {}, `${when(v.at)}: ${v.systolicMmHg}/${v.diastolicMmHg ?? '?'} mmHg${v.hypotensive ? ', hypotensive' : ''}`));
      svg.append(mark);
    }
  }

  function saturation(svg, lane, vitals, x) {
    const readings = vitals.filter((v) => v.spO2Percent !== null && v.spO2Percent !== undefined);
    const y = scale(lane, Math.min(80, ...readings.map((v) => v.spO2Percent)), 100);
    ticks(svg, lane, y, [90, 100]);
    line(svg, 'series spo2-line', readings.map((v) => [x(v.at), y(v.spO2Percent)]));
    for (const v of readings) {
      const dot = element('circle', { class: 'spo2', cx: x(v.at), cy: y(v.spO2Percent), r: 3.5 });
      dot.append(element('title', {}, `${when(v.at)}: SpO₂ ${v.spO2Percent} %`));
      svg.append(dot);
    }
  }

  // Oxygen and vasopressors as states: each charting holds until the next one (or now).
  function support(svg, oxygenLane, vasopressorLane, vitals, x, to) {
    const oxygen = vitals.filter((v) => v.oxygenDevice);
    oxygen.forEach((v, i) => {
      const end = i + 1 < oxygen.length ? oxygen[i + 1].at : to;
      if (v.oxygenDevice === 'none') {
        return;
      }

      const flow = v.oxygenFlowLPerMin ? ` ${v.oxygenFlowLPerMin} L/min` : '';
      const fio2 = v.fio2Percent ? ` FiO₂ ${v.fio2Percent} %` : '';
      state(svg, oxygenLane, `oxygen${positivePressure.has(v.oxygenDevice) ? ' positive-pressure' : ''}`, x(v.at), x(end),
        `${oxygenText[v.oxygenDevice] || v.oxygenDevice}${flow}${fio2}`);
    });
    const charted = vitals.filter((v) => Array.isArray(v.vasopressors));
    charted.forEach((v, i) => {
      const end = i + 1 < charted.length ? charted[i + 1].at : to;
      if (v.vasopressors.length > 0) {
        state(svg, vasopressorLane, `vasopressor${v.vasopressors.length > 1 ? ' several' : ''}`, x(v.at), x(end), v.vasopressors.join(', '));
      }
    });
  }

  function state(svg, lane, className, x1, x2, text) {
    if (x2 - x1 < 0.5) {
      return;
    }

    const group = element('g', { class: `state ${className}` });
    group.append(element('rect', { x: x1, y: lane.top + 3, width: x2 - x1, height: lane.height - 6, rx: 3 }));
    if (x2 - x1 > text.length * 6.5) {
      group.append(element('text', { x: x1 + 4, y: lane.top + lane.height / 2 + 4 }, text));
    }

    group.append(element('title', {}, text));
    svg.append(group);
  }

  function neuro(svg, lane, assessments, x) {
    const ice = assessments.filter((n) => n.iceScore !== null && n.iceScore !== undefined);
    const y = scale(lane, 0, 10);
    ticks(svg, lane, y, [0, 5, 10]);
    line(svg, 'series ice-line', ice.map((n) => [x(n.at), y(n.iceScore)]));
    for (const n of ice) {
      const dot = element('circle', { class: 'ice', cx: x(n.at), cy: y(n.iceScore), r: 4 });
      dot.append(element('title', {}, `${when(n.at)}: ICE ${n.iceScore}/10${n.sedated ? ', sedated' : ''}`));
      svg.append(dot);
    }

    // CAPD (0-32, higher is worse) on its own scale, for children and developmental delay.
    const capd = assessments.filter((n) => n.capdScore !== null && n.capdScore !== undefined);
    const yc = scale(lane, 0, 32);
    for (const n of capd) {
      const px = x(n.at);
      const mark = element('rect', { class: 'capd', x: px - 3.5, y: yc(n.capdScore) - 3.5, width: 7, height: 7 });
      mark.append(element('title', {}, `${when(n.at)}: CAPD ${n.capdScore}`));
      svg.append(mark);
    }

    // Depressed consciousness written where it was assessed.
    for (const n of assessments.filter((a) => a.consciousness && a.consciousness !== 'alert')) {
      const px = x(n.at);
      const nearEnd = px > left + plot - 140;
      svg.append(element('text', { class: 'consciousness', x: nearEnd ? px - 6 : px + 6, y: lane.top + 12, 'text-anchor': nearEnd ? 'end' : 'start' },
        consciousnessText[n.consciousness] || n.consciousness));
    }
  }

  function doses(svg, lane, treatments, x) {
    treatments.forEach((t, i) => {
      const px = x(t.at);
      const cy = lane.top + 12;
      const amount = t.dose !== null && t.dose !== undefined ? ` ${t.dose} ${t.doseUnit || ''}`.trimEnd() : '';
      const text = `${t.drug || kindText[t.kind] || t.kind}${amount}`;
      const group = element('g', { class: `dose ${t.kind}` });
      const shape = t.kind === 'bispecificDose' ? `M${px - 6},${cy - 6} h12 l-6,10 z`
        : t.kind === 'tocilizumab' ? `M${px},${cy - 7} l6,7 l-6,7 l-6,-7 z`
          : `M${px - 5},${cy} a5,5 0 1,0 10,0 a5,5 0 1,0 -10,0`;
      group.append(element('path', { d: shape }));
      group.append(element('text', { x: px + 7, y: lane.top + (i % 2 === 0 ? 30 : 38) }, text));
      group.append(element('title', {}, `${when(t.at)}: ${kindText[t.kind] || t.kind} ${text}`));
      svg.append(group);
    });
  }

  // Grade bands: the number written out, never colour alone; "at least", "possible" and "stale" marked.
  function bands(svg, lane, scaleName, list, x) {
    for (const band of list) {
      const x1 = x(band.from);
      const x2 = x(band.to);
      if (x2 - x1 < 0.5) {
        continue;
      }

      const classes = ['band', scaleName, `grade-${Math.min(band.grade, 5)}`];
      if (band.lowerBound) classes.push('lower-bound');
      if (band.provisional) classes.push('provisional');
      if (band.stale) classes.push('stale');
      const text = `${band.lowerBound ? `At least ${band.grade}` : `Grade ${band.grade}`}${band.provisional ? ', possible CRS, to confirm' : ''}${band.stale ? ', stale' : ''}`;
      const group = element('g', { class: classes.join(' '), 'data-grade': band.grade });
      group.append(element('rect', { x: x1, y: lane.top + 2, width: x2 - x1, height: lane.height - 4 }));
      if (band.stale) {
        group.append(element('rect', { class: 'hatch', x: x1, y: lane.top + 2, width: x2 - x1, height: lane.height - 4, fill: 'url(#stale-hatch)' }));
      }

      const short = band.lowerBound ? `≥ ${band.grade}` : `${band.grade}`;
      const label = x2 - x1 > text.length * 6.5 ? text : x2 - x1 > 26 ? short : '';
      if (label) {
        group.append(element('text', { x: x1 + 5, y: lane.top + lane.height / 2 + 4 }, label));
      }

      group.append(element('title', {}, `${when(band.from)} to ${when(band.to)}: ${text}${band.criteria.length ? ` (${band.criteria.join(', ')})` : ''}`));
      svg.append(group);
    }
  }

  function advice(svg, lane, list, x) {
    list.forEach((a, i) => {
      const px = x(a.at);
      const group = element('g', { class: 'advice-mark' });
      group.append(element('circle', { cx: px, cy: lane.top + lane.height / 2, r: 9 }));
      group.append(element('text', { x: px, y: lane.top + lane.height / 2 + 4, 'text-anchor': 'middle' }, String(i + 1)));
      group.append(element('title', {}, `${when(a.at)}: advice ${i + 1}`));
      svg.append(group);
    });
  }

  function overdue(svg, lane, list, x, to) {
    for (const o of list) {
      const x1 = Math.max(left, x(o.since));
      const x2 = x(o.until || to);
      state(svg, lane, `overdue-bar${o.until ? ' cleared' : ''}`, x1, Math.max(x2, x1 + 2),
        `${readingText[o.reading] || o.reading} ${reasonText[o.reason] || 'overdue'}`);
    }
  }

  // ---- the text beside the drawing

  function latest(chart) {
    const last = (list, field) => [...list].reverse().find((v) => v[field] !== null && v[field] !== undefined);
    const parts = [];
    const t = last(chart.vitals, 'temperatureC');
    if (t) parts.push(`Temperature ${t.temperatureC.toFixed(1)} °C (${when(t.at)})`);
    const bp = last(chart.vitals, 'systolicMmHg');
    if (bp) parts.push(`BP ${bp.systolicMmHg}/${bp.diastolicMmHg ?? '?'} mmHg (${when(bp.at)})`);
    const s = last(chart.vitals, 'spO2Percent');
    if (s) parts.push(`SpO₂ ${s.spO2Percent} % (${when(s.at)})`);
    const ice = last(chart.neuro, 'iceScore');
    if (ice) parts.push(`ICE ${ice.iceScore}/10 (${when(ice.at)})`);
    const crs = chart.crs[chart.crs.length - 1];
    const icans = chart.icans[chart.icans.length - 1];
    const grade = (band) => (band.lowerBound ? `at least ${band.grade}` : `${band.grade}`) + (band.provisional ? ', possible, to confirm' : '') + (band.stale ? ', stale' : '');
    if (crs) parts.push(`CRS ${grade(crs)}`);
    if (icans) parts.push(`ICANS ${grade(icans)}`);
    const owed = chart.overdue.filter((o) => !o.until).map((o) => `${readingText[o.reading] || o.reading} ${reasonText[o.reason] || 'overdue'}`);
    if (owed.length) parts.push(`Overdue: ${owed.join(', ')}`);
    $('latest').textContent = parts.length ? `Latest: ${parts.join(' · ')}` : 'Nothing charted in this window.';
  }

  function adviceList(list) {
    const items = $('advice');
    items.textContent = '';
    $('advice-panel').hidden = list.length === 0;
    list.forEach((a) => {
      const li = document.createElement('li');
      const head = document.createElement('span');
      head.className = 'meta';
      head.textContent = when(a.at);
      li.append(head);
      const inner = document.createElement('ul');
      for (const item of a.items) {
        const entry = document.createElement('li');
        entry.dataset.code = item.code;
        const text = document.createElement('span');
        text.textContent = item.text;
        const source = document.createElement('span');
        source.className = 'source';
        source.textContent = ` (${item.source})`;
        entry.append(text, source);
        inner.append(entry);
      }

      li.append(inner);
      items.append(li);
    });
  }

  function table(vitals) {
    $('readings-panel').hidden = vitals.length === 0;
    const body = $('readings').tBodies[0];
    body.textContent = '';
    for (const v of [...vitals].reverse()) {
      const row = document.createElement('tr');
      const cells = [
        when(v.at),
        v.temperatureC !== null && v.temperatureC !== undefined ? v.temperatureC.toFixed(1) : '',
        v.systolicMmHg !== null && v.systolicMmHg !== undefined ? `${v.systolicMmHg}/${v.diastolicMmHg ?? '?'}` : '',
        v.spO2Percent ?? '',
        v.oxygenDevice ? `${oxygenText[v.oxygenDevice] || v.oxygenDevice}${v.oxygenFlowLPerMin ? ` ${v.oxygenFlowLPerMin} L/min` : ''}` : '',
        (v.vasopressors || []).join(', '),
      ];
      for (const value of cells) {
        const cell = document.createElement('td');
        cell.textContent = String(value);
        row.append(cell);
      }

      body.append(row);
    }
  }

  // ---- following the stream

  function follow() {
    if (stream) {
      stream.close();
    }

    const source = new EventSource(`/api/v1/patients/${encodeURIComponent(patient)}/chart/stream?hours=${hours}`, { withCredentials: true });
    stream = source;
    source.addEventListener('open', () => setConnection('live', 'Live'));
    source.addEventListener('chart', (event) => {
      $('chart-error').textContent = '';
      $('chart-panel').hidden = false;
      draw(JSON.parse(event.data));
      document.body.dataset.offset = event.lastEventId;
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        setConnection('down', 'Disconnected');
      } else {
        setConnection('down', 'Reconnecting…');
      }
    });
  }

  function choices(most) {
    const group = $('window-choice');
    for (const h of windows.filter((w) => w <= most)) {
      const link = document.createElement('a');
      link.className = `bar-link${h === hours ? ' current' : ''}`;
      link.textContent = `${h} h`;
      const next = new URLSearchParams({ patient, hours: String(h) });
      if (ward) next.set('ward', ward);
      link.href = `chart.html?${next}`;
      if (h === hours) link.setAttribute('aria-current', 'page');
      group.append(link);
    }
  }

  async function start() {
    $('patient-name').textContent = patient ? `· ${patient}` : '';
    document.title = `Patient chart ${patient} · Toxicity`;
    $('back').href = ward ? `/board/?ward=${encodeURIComponent(ward)}` : '/board/';
    $('sign-in-link').href = $('back').href;
    if (!patient) {
      $('chart-error').textContent = 'Open the chart from a patient on the ward board.';
      return;
    }

    if (!Number.isInteger(hours) || hours < 1) {
      hours = 72;
    }

    // The first state also says whether we are signed in, and how long a window may be.
    const response = await fetch(`/api/v1/patients/${encodeURIComponent(patient)}/chart?hours=${hours}`, { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401 || response.status === 403) {
      $('signed-out').hidden = false;
      return;
    }

    if (!response.ok) {
      let detail = `The chart could not be loaded (${response.status}).`;
      try {
        const problem = await response.json();
        detail = problem.detail || (problem.errors && Object.values(problem.errors).flat().join(' ')) || problem.title || detail;
      } catch {
        // Not a problem document: the status says it.
      }

      $('chart-error').textContent = detail;
      return;
    }

    const page = await response.json();
    choices(page.maxHours);
    $('chart-panel').hidden = false;
    draw(page);
    follow();
  }

  start().catch(() => setConnection('down', 'The service did not answer; reload the page.'));
})();

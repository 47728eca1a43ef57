// The toxicity programme's measures (docs/reports.md), from GET /board/reports/toxicity (Audit's report, passed on by
// this service), drawn as SVG bars by this file. Data is only ever written with textContent and SVG attributes.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const element = window.ToxicityBoard.svg;
  const readingText = window.ToxicityBoard.readingText;
  const query = new URLSearchParams(window.location.search);
  const tierText = (tier) => tier.replace(/-/g, ' ');
  let reasons = { accepted: {}, declined: {} };


  function html(name, className, text) {
    const node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const minutes = (value) => (value === null || value === undefined ? '–' : `${value.toFixed(1)} min`);

  // Rows of [label, durations, note]: a bar to the p90, the median darker inside it, the numbers written beside.
  function durationPlot(title, rows, className) {
    const width = 960;
    const left = 200;
    const right = 390;
    const row = 30;
    const most = Math.max(1, ...rows.map((r) => r.durations.p90Minutes || 0));
    const svg = element('svg', { class: `measure-plot ${className}`, viewBox: `0 0 ${width} ${rows.length * row + 8}`, role: 'img', 'aria-label': title });
    rows.forEach((r, i) => {
      const y = i * row + 4;
      const scale = (value) => ((value || 0) / most) * (width - left - right);
      svg.append(element('text', { class: 'row-label', x: left - 8, y: y + 17, 'text-anchor': 'end' }, r.label));
      const group = element('g', { class: 'measure', 'data-label': r.label });
      group.append(element('rect', { class: 'p90', x: left, y: y + 4, width: scale(r.durations.p90Minutes), height: 18 }));
      group.append(element('rect', { class: 'median', x: left, y: y + 8, width: scale(r.durations.medianMinutes), height: 10 }));
      group.append(element('text', { class: 'numbers', x: width - right + 8, y: y + 17 },
        `median ${minutes(r.durations.medianMinutes)} · p90 ${minutes(r.durations.p90Minutes)} · n ${r.durations.count}${r.note ? ` · ${r.note}` : ''}`));
      svg.append(group);
    });
    return figure(title, svg);
  }

  // Rows of [label, count]: a bar each, the count written beside.
  function countPlot(title, rows, className, empty) {
    if (rows.length === 0) {
      const none = figure(title, html('p', 'quiet', empty));
      none.classList.add(className);
      return none;
    }

    // The label above its bar: reasons are sentences.
    const width = 960;
    const left = 200;
    const row = 42;
    const most = Math.max(1, ...rows.map((r) => r.count));
    const svg = element('svg', { class: `measure-plot ${className}`, viewBox: `0 0 ${width} ${rows.length * row + 8}`, role: 'img', 'aria-label': title });
    rows.forEach((r, i) => {
      const y = i * row + 4;
      const length = (r.count / most) * (width - left - 390);
      const group = element('g', { class: `count ${r.kind || ''}`, 'data-label': r.label, 'data-count': r.count });
      group.append(element('text', { class: 'row-label', x: left, y: y + 13 }, r.label));
      group.append(element('rect', { x: left, y: y + 18, width: length, height: 16 }));
      group.append(element('text', { class: 'numbers', x: left + length + 8, y: y + 31 }, String(r.count)));
      svg.append(group);
    });
    return figure(title, svg);
  }

  function figure(title, content) {
    const node = html('figure', 'measure-figure');
    node.append(html('figcaption', '', title), content);
    return node;
  }

  function reasonText(response, reason) {
    return (reasons[response] && reasons[response][reason]) || reason;
  }

  function wardPanel(measures) {
    const panel = html('section', 'panel ward-measures');
    panel.dataset.ward = measures.ward;
    panel.append(html('h2', '', `${measures.ward} · ${measures.episodes} CRS episode${measures.episodes === 1 ? '' : 's'}`));
    const fever = measures.feverToFirstGrade;
    const tocilizumab = measures.gradeTwoToTocilizumab;
    panel.append(durationPlot('Time to the grade and to treatment', [
      { label: 'Fever → first CRS grade', durations: fever.durations, note: `${fever.episodesWithoutFever} without fever` },
      { label: 'CRS ≥ 2 → tocilizumab', durations: tocilizumab.durations, note: `${tocilizumab.notGiven} not given` },
    ], 'episodes'));
    panel.append(durationPlot('Alert → acknowledged, by the tier alerted',
      measures.alertToAcknowledged.map((t) => ({ label: tierText(t.tier), durations: t.durations, note: `${t.unacknowledged} unacknowledged` })),
      'acknowledgement'));
    panel.append(countPlot('Alerts accepted or declined, by reason',
      measures.responses.map((r) => ({ label: `${r.response === 'declined' ? 'Declined' : 'Accepted'}: ${reasonText(r.response, r.reason)}`, count: r.count, kind: r.response })),
      'responses', 'No alert accepted or declined in this window.'));
    panel.append(countPlot('Overdue-observation notices, by reading',
      measures.overdueNotices.map((o) => ({ label: readingText[o.reading] || o.reading, count: o.count })),
      'overdue-notices', 'No observation was overdue in this window.'));
    return panel;
  }

  // The local calendar day of a time, as a date input writes it.
  function day(date) {
    const pad = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  // A window bound: a day (YYYY-MM-DD, local midnight; the "to" day is included) or an exact time (ISO 8601).
  function bound(text, endOfDay) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      const midnight = new Date(`${text}T00:00:00`);
      return endOfDay ? new Date(midnight.getTime() + 86400000) : midnight;
    }

    return new Date(text);
  }

  async function start() {
    const ward = (query.get('ward') || '').trim();
    const to = query.get('to') || day(new Date());
    const from = query.get('from') || day(new Date(Date.now() - (30 * 86400000)));
    const fromTime = bound(from, false);
    const toTime = bound(to, true);
    if (Number.isNaN(fromTime.getTime()) || Number.isNaN(toTime.getTime())) {
      $('measures-error').textContent = 'From and To must be dates (or times in ISO 8601).';
      return;
    }

    $('ward').value = ward;
    $('from').value = day(fromTime);
    $('to').value = day(new Date(toTime.getTime() - 1));
    $('back').href = ward ? `/board/?ward=${encodeURIComponent(ward)}` : '/board/';
    $('sign-in-link').href = $('back').href;
    const parameters = new URLSearchParams({ from: fromTime.toISOString(), to: toTime.toISOString() });
    if (ward) parameters.set('ward', ward);

    const offered = await fetch('/api/v1/alerts/response-reasons', { credentials: 'same-origin', cache: 'no-store' });
    if (offered.status === 401 || offered.status === 403) {
      $('signed-out').hidden = false;
      return;
    }

    if (offered.ok) {
      reasons = await offered.json();
    }

    const response = await fetch(`/board/reports/toxicity?${parameters}`, { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401 || response.status === 403) {
      $('signed-out').hidden = false;
      return;
    }

    if (!response.ok) {
      let detail = `The measures could not be loaded (${response.status}).`;
      try {
        const problem = await response.json();
        detail = (problem.errors && Object.values(problem.errors).flat().join(' ')) || problem.detail || problem.title || detail;
      } catch {
        // Not a problem document: the status says it.
      }

      $('measures-error').textContent = detail;
      return;
    }

    const report = await response.json();
    const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    $('summary').textContent = `${report.wards.length} ward${report.wards.length === 1 ? '' : 's'}, ${format.format(fromTime)} to ${format.format(toTime)}.`;
    const wards = $('wards');
    wards.textContent = '';
    if (report.wards.length === 0) {
      wards.append(html('p', 'panel quiet', 'Nothing recorded in this window.'));
    }

    for (const measures of report.wards) {
      wards.append(wardPanel(measures));
    }

    document.body.dataset.loaded = 'true';
  }

  start().catch(() => { $('measures-error').textContent = 'The service did not answer; reload the page.'; });
})();

// The ward board: first state from GET /api/v1/board, then live from the alert stream (Server-Sent Events) opened
// after the snapshot's offset. Data is only ever written with textContent, never parsed as HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const ward = (new URLSearchParams(window.location.search).get('ward') || '').trim();
  const alerts = new Map(); // alertId -> { alert, element }
  const patients = new Map(); // patientId -> { crs, icans, row }
  const overdue = new Map(); // patientId|reading -> { notice, item }
  let csrfToken = null;
  let stream = null;
  let reasons = { accepted: {}, declined: {} }; // response -> { code: text }, from the service

  async function loadSession() {
    const response = await fetch('/board/session', { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) {
      throw new Error(`session: ${response.status}`);
    }

    const session = await response.json();
    csrfToken = session.csrfToken;
    return session;
  }

  function post(url, body) {
    const headers = { 'X-CSRF-TOKEN': csrfToken };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }

    return fetch(url, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store', headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function problemText(response, fallback) {
    try {
      const problem = await response.json();
      return problem.detail || problem.title || fallback;
    } catch {
      return fallback;
    }
  }

  function show(id, visible) {
    $(id).hidden = !visible;
  }

  function announce(text) {
    $('announcer').textContent = text;
  }

  function setConnection(state, text) {
    const element = $('connection');
    element.className = `connection ${state}`;
    element.textContent = text;
  }

  // ---- signing in and out

  function showSignIn(message) {
    closeStream();
    show('user', false);
    show('board', false);
    show('no-ward', false);
    show('sign-in', true);
    $('sign-in-error').textContent = message || '';
    $('key').focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const button = $('sign-in-button');
    button.disabled = true;
    $('sign-in-error').textContent = '';
    try {
      const response = await post('/board/sign-in', { key: $('key').value });
      if (!response.ok) {
        $('sign-in-error').textContent = await problemText(response, `Sign-in failed (${response.status}).`);
        return;
      }

      $('key').value = '';
      await start();
    } catch {
      $('sign-in-error').textContent = 'The service did not answer. Try again.';
    } finally {
      button.disabled = false;
    }
  }

  async function signOut() {
    closeStream();
    await post('/board/sign-out');
    await loadSession();
    showSignIn('Signed out.');
  }

  // ---- the board

  // Rule set astct-2019/2: "at least N" for a lower bound, "possible CRS, to confirm" for a provisional grade.
  function gradeChip(cell, grade, lowerBound, provisional) {
    cell.textContent = '';
    const chip = document.createElement('span');
    chip.className = `grade grade-${Math.min(Math.max(grade, 0), 5)}${lowerBound ? ' lower-bound' : ''}${provisional ? ' provisional' : ''}`;
    chip.textContent = lowerBound ? `At least ${grade}` : `Grade ${grade}`;
    cell.appendChild(chip);
    if (provisional) {
      const note = document.createElement('span');
      note.className = 'provisional-note';
      note.textContent = 'Possible CRS, to confirm';
      cell.appendChild(note);
    }
  }

  function patientRow(patientId) {
    let patient = patients.get(patientId);
    if (!patient) {
      const row = document.createElement('tr');
      row.dataset.patientId = patientId;
      const id = document.createElement('td');
      id.className = 'patient';
      // The patient's chart (their timeline over the last hours), on a page of its own.
      const chart = document.createElement('a');
      chart.className = 'chart-link';
      chart.href = `chart.html?${new URLSearchParams({ patient: patientId, ward })}`;
      chart.textContent = patientId;
      chart.title = `Chart of ${patientId}`;
      id.appendChild(chart);
      const crs = document.createElement('td');
      crs.className = 'crs';
      const icans = document.createElement('td');
      icans.className = 'icans';
      row.append(id, crs, icans);
      const body = $('patients').tBodies[0];
      const after = [...body.rows].find((r) => r.dataset.patientId > patientId);
      body.insertBefore(row, after || null);
      patient = { crs: 0, icans: 0, row };
      patients.set(patientId, patient);
      gradeChip(crs, 0);
      gradeChip(icans, 0);
      show('no-patients', false);
    }

    return patient;
  }

  function setGrade(patientId, scale, grade, lowerBound, provisional) {
    const patient = patientRow(patientId);
    patient[scale] = grade;
    gradeChip(patient.row.querySelector(scale === 'icans' ? 'td.icans' : 'td.crs'), grade, !!lowerBound, !!provisional);
  }

  // ---- observations overdue (a notice of its own kind: never paged as a grade alert)

  function readingTime(at) {
    return at ? new Date(at).toLocaleString() : 'never';
  }

  function setOverdue(notice) {
    const key = `${notice.patientId}|${notice.reading}`;
    const existing = overdue.get(key);
    if (existing) {
      existing.item.remove();
      overdue.delete(key);
    }

    if (notice.status !== 'cleared') {
      const item = document.createElement('li');
      item.className = `overdue ${notice.status}`;
      item.dataset.patientId = notice.patientId;
      item.dataset.reading = notice.reading;
      const summary = document.createElement('span');
      summary.className = 'summary';
      summary.textContent = notice.summary;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = `Since ${readingTime(notice.since)} · last observed ${readingTime(notice.lastObservedAt)} · ${notice.reason || ''} · for ${tierText(notice.tier)}`;
      item.append(summary, meta);
      $('overdue').append(item);
      overdue.set(key, { notice, item });
    }

    $('overdue-count').textContent = `(${overdue.size})`;
    show('no-overdue', overdue.size === 0);
  }

  function age(raisedAt) {
    const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(raisedAt)) / 60000));
    if (minutes < 1) {
      return 'just now';
    }

    return minutes < 60 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ${minutes % 60} min ago`;
  }

  function tierText(tier) {
    return tier ? tier.replace(/-/g, ' ') : 'no tier';
  }

  function addAlert(alert) {
    if (alerts.has(alert.alertId)) {
      return;
    }

    const item = document.createElement('li');
    item.className = `alert ${alert.severity}`;
    item.dataset.alertId = alert.alertId;
    item.dataset.patientId = alert.patientId;

    const head = document.createElement('div');
    head.className = 'head';
    const severity = document.createElement('span');
    severity.className = `severity ${alert.severity}`;
    severity.textContent = alert.severity;
    const summary = document.createElement('span');
    summary.className = 'summary';
    summary.textContent = alert.summary;
    head.append(severity, summary);

    const meta = document.createElement('div');
    meta.className = 'meta';
    const raised = document.createElement('span');
    raised.className = 'age';
    const tier = document.createElement('span');
    tier.className = 'tier';
    meta.append('Raised ', raised, ' · paging ', tier);

    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'acknowledge';
    button.textContent = 'Acknowledge';
    button.setAttribute('aria-label', `Acknowledge: ${alert.summary}`);
    button.addEventListener('click', () => acknowledge(alert.alertId, button));

    item.append(head, meta, button, respondForm(alert));
    const entry = { alert, item, raised, tier };
    alerts.set(alert.alertId, entry);
    renderAlertMeta(entry);
    // Newest first: the latest alert is the one to look at.
    $('alerts').prepend(item);
    countAlerts();
  }

  function renderAlertMeta(entry) {
    entry.raised.textContent = age(entry.alert.raisedAt);
    entry.raised.title = new Date(entry.alert.raisedAt).toLocaleString();
    entry.tier.textContent = tierText(entry.alert.tier);
  }

  function removeAlert(alertId) {
    const entry = alerts.get(alertId);
    if (!entry) {
      return;
    }

    // Keep keyboard users in place: focus moves to the next alert's button, or to the heading.
    const hadFocus = entry.item.contains(document.activeElement);
    const next = entry.item.nextElementSibling || entry.item.previousElementSibling;
    entry.item.remove();
    alerts.delete(alertId);
    countAlerts();
    if (hadFocus) {
      (next ? next.querySelector('button') : $('alerts-title')).focus();
    }
  }

  function countAlerts() {
    $('alert-count').textContent = `(${alerts.size})`;
    show('no-alerts', alerts.size === 0);
  }

  // Accept or decline with a coded reason and an optional comment (kept in the record, never on a pager).
  function respondForm(alert) {
    const form = document.createElement('form');
    form.className = 'respond';
    const response = document.createElement('select');
    response.className = 'response';
    response.setAttribute('aria-label', `Accept or decline: ${alert.summary}`);
    for (const [value, text] of [['accepted', 'Accept'], ['declined', 'Decline']]) {
      response.append(new Option(text, value));
    }

    const reason = document.createElement('select');
    reason.className = 'reason';
    reason.setAttribute('aria-label', 'Reason');
    const fillReasons = () => {
      reason.replaceChildren(...Object.entries(reasons[response.value] || {}).map(([code, text]) => new Option(text, code)));
    };
    response.addEventListener('change', fillReasons);
    fillReasons();

    const comment = document.createElement('input');
    comment.className = 'comment';
    comment.type = 'text';
    comment.maxLength = 500;
    comment.placeholder = 'Comment (optional)';
    comment.setAttribute('aria-label', 'Comment');

    const send = document.createElement('button');
    send.type = 'submit';
    send.className = 'send';
    send.textContent = 'Send';
    form.append(response, reason, comment, send);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      respond(alert.alertId, { response: response.value, reason: reason.value, comment: comment.value || undefined }, send);
    });
    return form;
  }

  async function respond(alertId, answer, button) {
    button.disabled = true;
    $('ack-error').textContent = '';
    try {
      const response = await post(`/api/v1/alerts/${encodeURIComponent(alertId)}/respond`, answer);
      if (response.ok) {
        addAnswered(await response.json());
        removeAlert(alertId);
        announce(`Alert ${answer.response}.`);
        return;
      }

      if (response.status === 401) {
        showSignIn('Your session has ended. Sign in again.');
        return;
      }

      $('ack-error').textContent = await problemText(response, `Not sent (${response.status}).`);
    } catch {
      $('ack-error').textContent = 'The service did not answer; the response is not recorded. Try again.';
    }

    button.disabled = false;
  }

  const answered = new Set();
  function addAnswered(answer) {
    if (answered.has(answer.alertId)) {
      return;
    }

    answered.add(answer.alertId);
    const item = document.createElement('li');
    item.dataset.alertId = answer.alertId;
    item.className = `answer ${answer.response}`;
    const reasonText = (reasons[answer.response] || {})[answer.reason] || answer.reason;
    item.textContent = `${answer.response === 'accepted' ? 'Accepted' : 'Declined'} · ${answer.patientId} · ${reasonText} · ${answer.respondedBy} · ${readingTime(answer.respondedAt)}`;
    $('answered').prepend(item);
    while ($('answered').children.length > 20) {
      $('answered').lastElementChild.remove();
    }

    show('no-answered', false);
  }

  async function acknowledge(alertId, button) {
    button.disabled = true;
    $('ack-error').textContent = '';
    try {
      const response = await post(`/api/v1/alerts/${encodeURIComponent(alertId)}/acknowledge`);
      if (response.ok) {
        removeAlert(alertId);
        announce('Alert acknowledged.');
        return;
      }

      if (response.status === 401) {
        showSignIn('Your session has ended. Sign in again.');
        return;
      }

      $('ack-error').textContent = await problemText(response, `Not acknowledged (${response.status}).`);
    } catch {
      $('ack-error').textContent = 'The service did not answer; the alert is not acknowledged. Try again.';
    }

    button.disabled = false;
  }

  // ---- live updates

  function closeStream() {
    if (stream) {
      stream.close();
      stream = null;
    }
  }

  function follow(offset) {
    closeStream();
    // EventSource cannot send Last-Event-ID on its first connection: ?after= starts the stream where the snapshot
    // ended; on a reconnect the browser sends Last-Event-ID itself, which the service prefers.
    const url = `/api/v1/alerts/stream?ward=${encodeURIComponent(ward)}&after=${encodeURIComponent(offset)}`;
    const source = new EventSource(url, { withCredentials: true });
    stream = source;
    source.addEventListener('open', () => setConnection('live', 'Live'));
    source.addEventListener('error', async () => {
      if (source.readyState === EventSource.CLOSED) {
        // Refused (e.g. the session ended): find out whether we are still signed in.
        setConnection('down', 'Disconnected');
        const session = await loadSession().catch(() => null);
        if (session && !session.signedIn) {
          showSignIn('Your session has ended. Sign in again.');
        }
      } else {
        setConnection('down', 'Reconnecting…');
      }
    });
    source.addEventListener('alert', (event) => {
      const alert = JSON.parse(event.data);
      setGrade(alert.patientId, alert.scale, alert.newGrade, alert.lowerBound, alert.provisional);
      if (alert.kind === 'alert' && !alert.acknowledgedAt) {
        addAlert(alert);
        announce(`New ${alert.severity} alert: ${alert.summary}`);
      }
    });
    source.addEventListener('acknowledged', (event) => removeAlert(JSON.parse(event.data).alertId));
    source.addEventListener('responded', (event) => {
      const answer = JSON.parse(event.data);
      removeAlert(answer.alertId);
      addAnswered(answer);
    });
    source.addEventListener('overdue', (event) => {
      const notice = JSON.parse(event.data);
      setOverdue(notice);
      if (notice.status !== 'cleared') {
        announce(notice.summary);
      }
    });
    source.addEventListener('escalated', (event) => {
      const escalation = JSON.parse(event.data);
      const entry = alerts.get(escalation.alertId);
      if (entry) {
        entry.alert.tier = escalation.toTier;
        renderAlertMeta(entry);
        announce(`Alert escalated to ${tierText(escalation.toTier)}: ${entry.alert.summary}`);
      }
    });
  }

  async function showBoard() {
    show('sign-in', false);
    if (!ward) {
      show('board', false);
      show('no-ward', true);
      $('ward').focus();
      return;
    }

    const offered = await fetch('/api/v1/alerts/response-reasons', { credentials: 'same-origin', cache: 'no-store' });
    if (offered.ok) {
      reasons = await offered.json();
    }

    const response = await fetch(`/api/v1/board?ward=${encodeURIComponent(ward)}`, { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) {
      showSignIn();
      return;
    }

    if (!response.ok) {
      $('ack-error').textContent = await problemText(response, `The board could not be loaded (${response.status}).`);
      show('board', true);
      return;
    }

    const board = await response.json();
    alerts.clear();
    patients.clear();
    overdue.clear();
    $('overdue').textContent = '';
    $('alerts').textContent = '';
    $('patients').tBodies[0].textContent = '';
    show('no-patients', board.patients.length === 0);
    for (const patient of board.patients) {
      setGrade(patient.patientId, 'crs', patient.crs, patient.crsLowerBound, patient.crsProvisional);
      setGrade(patient.patientId, 'icans', patient.icans, patient.icansLowerBound, false);
    }

    for (const notice of board.overdue) {
      setOverdue(notice);
    }

    $('overdue-count').textContent = `(${overdue.size})`;
    show('no-overdue', overdue.size === 0);

    for (const answer of [...board.responses].reverse()) {
      addAnswered(answer);
    }

    show('no-answered', answered.size === 0);
    for (const alert of board.openAlerts) {
      addAlert(alert);
    }

    countAlerts();
    show('board', true);
    follow(board.offset);
  }

  async function start() {
    $('ward').value = ward;
    $('ward-name').textContent = ward ? `· ${ward}` : '';
    $('measures-link').href = ward ? `/board/measures.html?${new URLSearchParams({ ward })}` : '/board/measures.html';
    document.title = ward ? `Ward board ${ward} · Toxicity` : 'Ward board · Toxicity';
    const session = await loadSession();
    if (!session.signedIn) {
      // The hospital's identity provider, where configured: the service runs the code flow (with PKCE) and returns here.
      $('idp-sign-in-link').href = `/board/oidc/sign-in${ward ? `?ward=${encodeURIComponent(ward)}` : ''}`;
      show('idp-sign-in', session.identityProvider === true);
      const refused = new URLSearchParams(window.location.search).get('signin') === 'refused';
      showSignIn(refused ? 'The hospital sign-in did not let you in: the ward board is for clinicians.' : '');
      return;
    }

    $('user-name').textContent = session.name;
    show('user', true);
    await showBoard();
  }

  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  window.setInterval(() => alerts.forEach(renderAlertMeta), 5000);
  start().catch(() => setConnection('down', 'The service did not answer; reload the page.'));
})();

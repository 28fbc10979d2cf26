// mediawatch's page: live updates over server-sent events and the refresh button. The page shows the status
// without this script; with it, the server's new HTML replaces the status as it changes.
(function () {
  'use strict';
  var conn = document.getElementById('conn');
  var status = document.getElementById('status');
  var charts = document.getElementById('contention');
  var lastHeard = Date.now();
  // Heartbeats come every 15 s: three missed mean the connection is gone even if the browser has not noticed.
  var SILENT_MS = 45000;

  function lost(yes) {
    if (conn) {
      conn.hidden = !yes;
    }
  }

  function heard() {
    lastHeard = Date.now();
    lost(false);
  }

  // The server renders every <details> closed; the ones a person opened stay open across updates.
  function openKeys() {
    var keys = [];
    document.querySelectorAll('details[data-key]').forEach(function (d) {
      if (d.open) {
        keys.push(d.getAttribute('data-key'));
      }
    });
    return keys;
  }

  function reopen(keys) {
    document.querySelectorAll('details[data-key]').forEach(function (d) {
      if (keys.indexOf(d.getAttribute('data-key')) >= 0) {
        d.open = true;
      }
    });
  }

  if (window.EventSource && status) {
    var source = new EventSource('/api/status/stream');
    source.addEventListener('open', heard);
    source.addEventListener('error', function () {
      lost(true);
    });
    source.addEventListener('ping', heard);
    source.addEventListener('status', function (e) {
      heard();
      var keys = openKeys();
      status.innerHTML = e.data;
      reopen(keys);
    });
    source.addEventListener('charts', function (e) {
      heard();
      if (charts) {
        charts.innerHTML = e.data;
      }
    });
    window.setInterval(function () {
      if (Date.now() - lastHeard > SILENT_MS) {
        lost(true);
      }
    }, 5000);
  }

  // Refresh: every agent collects now. Where the API needs a token the page asks for it and keeps it in this
  // tab's memory only; the server never stores it.
  var button = document.getElementById('refresh');
  var result = document.getElementById('refresh-result');
  var form = document.getElementById('token-form');
  var input = document.getElementById('token');
  var token = null;

  function refresh() {
    var headers = {};
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    button.disabled = true;
    result.textContent = 'refreshing…';
    fetch('/api/refresh', { method: 'POST', headers: headers }).then(function (r) {
      button.disabled = false;
      if (r.status === 401) {
        token = null;
        form.hidden = false;
        result.textContent = 'the API needs its token';
        input.focus();
        return null;
      }
      form.hidden = true;
      return r.json().then(function (body) {
        var hosts = body && body.hosts ? body.hosts.length : 0;
        result.textContent = r.ok ? 'refreshed ' + hosts + (hosts === 1 ? ' host' : ' hosts') : 'refresh failed (' + r.status + ')';
      });
    }).catch(function () {
      button.disabled = false;
      result.textContent = 'refresh failed: no answer from the aggregator';
    });
  }

  if (button) {
    button.hidden = false;
    button.addEventListener('click', refresh);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      token = input.value;
      input.value = '';
      refresh();
    });
  }
}());

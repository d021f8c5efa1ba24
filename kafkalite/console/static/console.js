// kafkalite console: the live tail polls a small JSON endpoint and adds new rows on top.
(function () {
  "use strict";
  var table = document.getElementById("tail");
  if (!table) { return; }
  var body = table.tBodies[0];
  var status = document.getElementById("tail-status");
  var pause = document.getElementById("tail-pause");
  var after = "";
  var paused = false;
  var shown = 0;
  var MAX_ROWS = 500;

  function cell(row, text, pre) {
    var td = row.insertCell(-1);
    if (pre) {
      var p = document.createElement("pre");
      p.textContent = text;
      td.appendChild(p);
    } else {
      td.textContent = text;
    }
  }

  function add(record) {
    var row = body.insertRow(0);
    row.className = "fresh";
    cell(row, String(record.partition));
    cell(row, String(record.offset));
    cell(row, record.timestamp);
    cell(row, record.key, true);
    cell(row, record.value, true);
    var headers = Object.keys(record.headers).map(function (k) { return k + ": " + record.headers[k]; });
    cell(row, headers.join("\n"), true);
    while (body.rows.length > MAX_ROWS) { body.deleteRow(-1); }
  }

  function poll() {
    if (paused) { setTimeout(poll, 1000); return; }
    var url = table.getAttribute("data-source") + (after ? "?after=" + encodeURIComponent(after) : "");
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.json(); })
      .then(function (data) {
        if (data.error) { status.textContent = data.error; return; }
        after = data.after;
        data.records.forEach(add);
        shown += data.records.length;
        status.textContent = shown + " new record(s) since this page opened; polling every second.";
        setTimeout(poll, 1000);
      })
      .catch(function () {
        status.textContent = "the broker does not answer; retrying…";
        setTimeout(poll, 3000);
      });
  }

  if (pause) {
    pause.addEventListener("click", function () {
      paused = !paused;
      pause.textContent = paused ? "Resume" : "Pause";
    });
  }
  poll();
}());

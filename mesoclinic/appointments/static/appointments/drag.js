/* Drag an appointment card onto another quarter hour (and practitioner) of the day grid to move
   it. The drop posts to the appointment's reschedule endpoint, the same one the appointment
   page's keyboard form uses; a refusal's words are shown above the grid, a success reloads the
   day. No inline handlers: the page's markup carries data attributes only (CSP). */
(function () {
  "use strict";
  var dragged = null;

  function grid() { return document.querySelector("[data-day-grid]"); }
  function cellOf(target) { return target && target.closest ? target.closest("[data-day-grid] td[data-start]") : null; }
  function clearTargets() {
    document.querySelectorAll("td.drop-target").forEach(function (td) { td.classList.remove("drop-target"); });
  }
  function say(text) {
    var status = document.querySelector("[data-drag-status]");
    if (status) { status.textContent = text; }
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".appt[draggable=true]");
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.appointment);
  });
  document.addEventListener("dragend", function () { dragged = null; clearTargets(); });
  document.addEventListener("dragover", function (event) {
    var cell = cellOf(event.target);
    if (!dragged || !cell) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearTargets();
    cell.classList.add("drop-target");
  });
  document.addEventListener("drop", function (event) {
    var cell = cellOf(event.target);
    var table = grid();
    if (!dragged || !cell || !table) { return; }
    event.preventDefault();
    clearTargets();
    var body = new FormData();
    body.append("start", cell.dataset.start);
    body.append("practitioner", cell.dataset.practitioner || "");
    fetch(dragged.dataset.reschedule, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": table.dataset.csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      if (result.ok) { window.location.reload(); } else { say(result.answer.message); }
    }).catch(function () { say(table.dataset.failed || "The appointment could not be moved."); });
    dragged = null;
  });
})();

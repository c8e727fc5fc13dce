// The session form's "Add another product": shows the next hidden product line and hides
// itself once none is left. A file, not an inline script: the Content-Security-Policy runs
// scripts from /static/ only.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("add-line");
  if (!button) { return; }
  button.addEventListener("click", function () {
    var hidden = document.querySelector("fieldset.session-line[hidden]");
    if (hidden) { hidden.hidden = false; hidden.querySelector("select").focus(); }
    if (!document.querySelector("fieldset.session-line[hidden]")) { button.hidden = true; }
  });
});

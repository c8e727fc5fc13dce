// A signature pad: draw with a finger, stylus or mouse on the <svg data-signature-pad>; the
// strokes go into the hidden input named by data-input as JSON [[[x, y], ...], ...] in the
// svg's viewBox units. The server checks them again and refuses an empty or tiny signature.
(function () {
  "use strict";
  function setUp(svg) {
    var input = document.getElementById(svg.dataset.input);
    var box = svg.viewBox.baseVal;
    var strokes = [];
    var current = null;
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    svg.appendChild(path);
    try {
      var saved = JSON.parse(input.value || "[]");
      if (Array.isArray(saved)) strokes = saved;
    } catch (e) { strokes = []; }

    function point(event) {
      var rect = svg.getBoundingClientRect();
      var x = ((event.clientX - rect.left) / rect.width) * box.width;
      var y = ((event.clientY - rect.top) / rect.height) * box.height;
      return [Math.round(Math.min(Math.max(x, 0), box.width) * 10) / 10,
              Math.round(Math.min(Math.max(y, 0), box.height) * 10) / 10];
    }
    function draw() {
      path.setAttribute("d", strokes.map(function (stroke) {
        return stroke.map(function (p, i) { return (i ? "L" : "M") + p[0] + " " + p[1]; }).join(" ");
      }).join(" "));
      input.value = strokes.length ? JSON.stringify(strokes) : "";
    }
    svg.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      svg.setPointerCapture(event.pointerId);
      current = [point(event)];
      strokes.push(current);
      draw();
    });
    svg.addEventListener("pointermove", function (event) {
      if (!current) return;
      current.push(point(event));
      draw();
    });
    function end() { current = null; }
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    var clear = document.querySelector("[data-clear-signature='" + svg.id + "']");
    if (clear) clear.addEventListener("click", function () { strokes = []; draw(); });
    draw();
  }
  document.querySelectorAll("svg[data-signature-pad]").forEach(setUp);
})();

// Small behaviours any page may ask for with a data- attribute, instead of inline handlers
// (onclick=, onfocus=) that the Content-Security-Policy refuses:
//   <button data-print>            prints the page;
//   <input data-select-on-focus>   selects its whole value when focused (an address to copy).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select-on-focus]")) { event.target.select(); }
});

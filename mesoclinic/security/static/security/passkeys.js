// After django-otp-webauthn registers a passkey, go on to the page named by data-done-url
// (recovery codes the first time). A static file: the pages carry no inline script.
document.addEventListener("otp_webauthn.register_complete", function () {
  var holder = document.querySelector("[data-done-url]");
  if (holder) {
    window.location.assign(holder.getAttribute("data-done-url"));
  }
});

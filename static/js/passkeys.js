/* Passkeys (a second login step): what needs one shows only where the browser supports WebAuthn, as allauth's
 * webauthn-json decides ([data-passkey-offer] appears, [data-passkey-unsupported] goes). When the browser or the
 * device stops the ceremony (allauth's "allauth.error" event), the page's own Dutch message [data-passkey-error]
 * appears instead of an error in the console. */
"use strict";
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var supported = !!(window.webauthnJSON && window.webauthnJSON.supported());
    document.querySelectorAll("[data-passkey-offer]").forEach(function (element) {
      element.hidden = !supported;
    });
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (element) {
      element.hidden = supported;
    });
  });

  document.addEventListener("allauth.error", function (event) {
    var message = document.querySelector("[data-passkey-error]");
    if (!message) {
      return;
    }
    event.preventDefault();
    message.hidden = false;
    message.setAttribute("tabindex", "-1");
    message.focus();
  });
})();

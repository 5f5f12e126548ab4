// The dashboard's own script: small, served from this server (the CSP allows no
// inline script). Amounts are never formatted here; the server sends them as text.
"use strict";
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit")) {
    field.form.requestSubmit();
  }
});

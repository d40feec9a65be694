// Small behaviours of our own forms, kept in a file because the Content Security Policy allows no inline script.
"use strict";

// Enter in the evidence picker's search box runs the search (its button fetches the results with htmx), while
// Enter anywhere else in the form keeps pressing the form's default button, a hidden copy of "Save draft".
document.addEventListener("keydown", function (event) {
  var box = event.target;
  if (event.key !== "Enter" || !box || box.name !== "evidence_q" || !box.form) {
    return;
  }
  var search = box.form.querySelector('button[name="evidence_search"]');
  if (search) {
    event.preventDefault();
    search.click();
  }
});

// Progressive enhancement only: every page works without this file.
// After a form is sent back with errors, move focus to the error summary so
// keyboard and screen reader users start there.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary instanceof HTMLElement) summary.focus();
});

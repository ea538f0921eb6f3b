// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // After a form is sent back with errors, move focus to the error summary so
  // keyboard and screen reader users start there.
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary instanceof HTMLElement) summary.focus();

  for (const form of document.querySelectorAll("form[data-warn-unsaved]")) {
    if (form instanceof HTMLFormElement) enhanceForm(form);
  }
});

/** What the form holds now, to tell whether anything was changed since the page loaded. */
function snapshot(form) {
  // Empty values are left out, so an added empty row is no change.
  const filled = [...new FormData(form)].filter(([, value]) => typeof value === "string" && value.trim() !== "");
  return new URLSearchParams(filled).toString();
}

function enhanceForm(form) {
  const note = form.querySelector("[data-unsaved-note]");
  // A form sent back refused holds what was typed but not stored: unsaved from the start.
  const refused = form.dataset.unsaved === "true";
  const saved = snapshot(form);
  let submitting = false;
  const dirty = () => refused || snapshot(form) !== saved;
  const update = () => {
    if (note) note.hidden = !dirty();
    updateProgress(form);
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", () => {
    submitting = true;
  });
  // Coming back to the page from the history cache: the form may be sent again.
  window.addEventListener("pageshow", () => {
    submitting = false;
  });
  // The browser's own "leave the page?" question, only when something would be lost.
  window.addEventListener("beforeunload", (event) => {
    if (submitting || !dirty()) return;
    event.preventDefault();
    event.returnValue = "";
  });
  for (const rows of form.querySelectorAll("[data-rows]")) addRowButton(rows, update);
  update();
}

/** Is one field (or list of rows, or group of checkboxes) of a section filled in? */
function fieldFilled(form, name) {
  for (const el of form.elements) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) continue;
    if (el.name !== name && !el.name.startsWith(`${name}.`)) continue;
    if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")) {
      if (el.checked) return true;
    } else if (el.type !== "hidden" && el.value.trim() !== "") {
      return true;
    }
  }
  return false;
}

/** Keeps the contents list's "3 av 4" per section, and the total, in step with what is typed. */
function updateProgress(form) {
  let filled = 0;
  let total = 0;
  for (const section of form.querySelectorAll("section[data-fields]")) {
    const names = section.dataset.fields.split(" ").filter(Boolean);
    const n = names.filter((name) => fieldFilled(form, name)).length;
    filled += n;
    total += names.length;
    const state = document.querySelector(`[data-state-for="${section.id}"]`);
    if (!state) continue;
    state.dataset.state = n === names.length ? "full" : n === 0 ? "empty" : "partial";
    const [shown, spoken] = state.children;
    if (shown) shown.textContent = shown.textContent.replace(/^\d+/, String(n));
    if (spoken) spoken.textContent = spoken.textContent.replace(/^\d+/, String(n));
  }
  const progress = document.querySelector("[data-progress]");
  if (progress) progress.textContent = progress.textContent.replace(/^\d+ av \d+/, `${filled} av ${total}`);
}

/** A "Legg til …" button under a list of rows: a copy of the last row, empty and numbered next. */
function addRowButton(rows, onAdd) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button-secondary button-small add-row";
  button.textContent = rows.dataset.addLabel;
  button.addEventListener("click", () => {
    const all = rows.querySelectorAll("fieldset.row");
    const last = all[all.length - 1];
    if (!last || all.length >= 50) return;
    const copy = last.cloneNode(true);
    const from = all.length - 1;
    const to = all.length;
    const renumber = (value) => value.replace(new RegExp(`([.-])${from}([.-])`, "g"), `$1${to}$2`);
    for (const el of copy.querySelectorAll("[name], [id], [for], [aria-describedby]")) {
      for (const attr of ["name", "id", "for"]) if (el.hasAttribute(attr)) el.setAttribute(attr, renumber(el.getAttribute(attr)));
      // A copied row starts without the errors of the row it was copied from.
      if (el.hasAttribute("aria-describedby")) {
        const ids = el.getAttribute("aria-describedby").split(" ").filter((id) => !id.endsWith("-feil")).map(renumber);
        if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
        else el.removeAttribute("aria-describedby");
      }
      el.removeAttribute("aria-invalid");
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) el.value = "";
      if (el instanceof HTMLSelectElement) el.selectedIndex = 0;
    }
    for (const error of copy.querySelectorAll(".field-error")) error.remove();
    for (const field of copy.querySelectorAll(".has-error")) field.classList.remove("has-error");
    const legend = copy.querySelector("legend");
    if (legend) legend.textContent = legend.textContent.replace(/\d+$/, String(to + 1));
    last.after(copy);
    onAdd();
    copy.querySelector("input, select, textarea")?.focus();
  });
  rows.append(button);
}

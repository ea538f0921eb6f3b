// Progressive enhancement only: without this file the list is pasted into
// the field. With it, a text or CSV file can be picked and fills the field.
document.addEventListener("DOMContentLoaded", () => {
  for (const slot of document.querySelectorAll("[data-file-into]")) {
    const target = document.getElementById(slot.getAttribute("data-file-into") ?? "");
    if (!(target instanceof HTMLTextAreaElement)) continue;
    const id = `${target.id}-fil`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = slot.getAttribute("data-file-label") ?? "";
    const input = document.createElement("input");
    input.type = "file";
    input.id = id;
    input.accept = ".txt,.csv,text/plain,text/csv";
    input.addEventListener("change", async () => {
      const file = input.files?.[0];
      if (!file) return;
      const text = await file.text();
      target.value = target.value.trim() ? `${target.value.trim()}\n${text}` : text;
    });
    slot.classList.add("field");
    slot.append(label, input);
  }
});

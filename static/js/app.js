// Small behaviours that need script; every page still works without it.
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  const status = event.detail.xhr.status;
  const note = document.createElement("p");
  note.className = "message message--error";
  note.setAttribute("role", "alert");
  note.textContent = status === 403
    ? "Du har inte behörighet att göra detta."
    : status === 409
      ? "Någon annan har ändrat detta under tiden. Ladda om sidan."
      : "Det gick inte att spara. Försök igen.";
  target.prepend(note);
});

// "Expand all" / "Collapse all" for the plan tree; each node is a <details>, operable without script.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tree-toggle]");
  if (!button) return;
  const open = button.dataset.treeToggle === "open";
  document.querySelectorAll("#plan-tree details").forEach((node) => { node.open = open; });
});

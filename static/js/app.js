// Small behaviours that need script; every page still works without it.
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  const status = event.detail.xhr.status;
  const note = document.createElement("p");
  note.className = "message message--error";
  note.setAttribute("role", "alert");
  note.textContent = event.detail.elt.dataset.errorMessage || (status === 403
    ? "Du har inte behörighet att göra detta."
    : status === 409
      ? "Någon annan har ändrat detta under tiden. Ladda om sidan."
      : "Det gick inte att spara. Försök igen.");
  target.prepend(note);
});

// "Expand all" / "Collapse all" for the plan tree; each node is a <details>, operable without script.
// Opening a closed focus area fetches its contents (see below); "Expand all" marks the areas it opens, so their
// contents open too when they arrive.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tree-toggle]");
  if (!button) return;
  const open = button.dataset.treeToggle === "open";
  document.querySelectorAll("#plan-tree details").forEach((node) => {
    node.open = open;
    if (node.matches("[data-tree-area]")) node.toggleAttribute("data-tree-expand", open);
  });
});

// A focus area of the plan tree loads its contents when first opened (hx-trigger="toggle once"). Meanwhile its
// status line (a polite live region) says "Loading…" and the content is aria-busy; focus stays on the summary.
// If the request fails, the fallback link (the page with the area open) comes back.
function treeAreaContent(event) {
  const area = event.target;
  return area instanceof Element && area.matches("[data-tree-area]") ? area.querySelector(".tree__area-content") : null;
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const content = treeAreaContent(event);
  const status = content && content.querySelector(".tree__area-status");
  if (!status) return;
  content.setAttribute("aria-busy", "true");
  const link = status.querySelector("a");
  if (link) link.hidden = true;
  const loading = document.createElement("span");
  loading.className = "tree__loading";
  loading.textContent = status.dataset.loading;
  status.append(loading);
});

document.addEventListener("htmx:afterRequest", (event) => {
  const content = treeAreaContent(event);
  if (!content) return;
  content.removeAttribute("aria-busy");
  if (event.detail.successful) return;
  content.querySelectorAll(".tree__loading").forEach((node) => node.remove());
  content.querySelectorAll(".tree__area-status a").forEach((link) => { link.hidden = false; });
});

// The swap lands in the area's .tree__area-content (swaps further down, such as an inline edit, are left alone).
document.addEventListener("htmx:afterSwap", (event) => {
  const content = event.target;
  if (!(content instanceof Element) || !content.matches("[data-tree-expand] > .tree__area-content")) return;
  content.querySelectorAll("details").forEach((node) => { node.open = true; });
});
